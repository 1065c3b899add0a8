// svgcanvas ships no types. What svgcanvas-entry.ts uses of it: a 2D context (Canvas API) that
// builds an SVG document, and the internals its fixes reach into.
declare module 'svgcanvas/index.js' {
  export interface Context extends CanvasRenderingContext2D {}
  export class Context {
    constructor(options: { width: number; height: number });
    /** The drawing so far. */
    getSvg(): SVGSVGElement;
    /** Written on each <text> as its text-decoration. */
    protected __fontUnderline: string;
    /** The element the next path command or style applies to. */
    protected __currentElement: SVGElement;
    /** The `d` of the path being built. */
    protected __currentDefaultPath: string;
    protected __createElement(name: string, properties: Record<string, string>, resetFill?: boolean): SVGElement;
    protected __closestGroupOrSvg(node?: Node): SVGElement;
  }
}
