// elfy ships no type declarations; emtrace uses only parse() and validates around it (src/emulator/elf.ts).
declare module 'elfy' {
  const elfy: { parse(data: Buffer): unknown };
  export default elfy;
}
