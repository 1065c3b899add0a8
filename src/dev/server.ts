export async function runDev(_flags: object): Promise<number> {
  process.stderr.write('datadeck dev is not available yet\n');
  return 1;
}
