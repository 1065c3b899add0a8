import type { SourcedFact } from './figures.js';

export interface Citable {
  /** Every figure the slide shows or rests on; derived figures cite the facts they come from. */
  figures: readonly { basis: readonly SourcedFact[] }[];
}

/**
 * Numbers the cited facts in order of first appearance across the slides (1-based), and gives
 * each slide the sorted numbers of the facts it cites. How they are paged is the layout's business.
 */
export function numberCitations(slides: readonly Citable[]): { citations: SourcedFact[]; perSlide: number[][] } {
  const citations: SourcedFact[] = [];
  const numberOf = new Map<string, number>();
  const perSlide = slides.map((slide) => {
    const numbers = new Set<number>();
    for (const fact of slide.figures.flatMap((figure) => figure.basis)) {
      if (!numberOf.has(fact.id)) {
        citations.push(fact);
        numberOf.set(fact.id, citations.length);
      }
      numbers.add(numberOf.get(fact.id)!);
    }
    return [...numbers].sort((a, b) => a - b);
  });
  return { citations, perSlide };
}
