// The part of jstat (no published types) that validation uses.
declare module 'jstat' {
  interface JStat {
    beta: { inv(p: number, a: number, b: number): number };
    binomial: { pdf(k: number, n: number, p: number): number; cdf(k: number, n: number, p: number): number };
  }
  const jstat: { jStat: JStat };
  export default jstat;
}
