/** `import text from "./file?raw"`: the file's content as a string (esbuild.js and Vite both do this). */
declare module "*?raw" {
  const content: string;
  export default content;
}
