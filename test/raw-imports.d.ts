// Vite's `?raw` imports (a file's text), for tests that compare committed files with what
// generates them (test/openapi/api-reference.test.ts).
declare module '*?raw' {
  const text: string;
  export default text;
}
