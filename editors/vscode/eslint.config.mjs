// Lint rules for the extension and its tests (typescript-eslint's recommended
// type-aware set, plus a few that catch forgotten promises).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "test/probe/dist/**", "test/unit/dist/**", "test/host/**", "node_modules/**"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      eqeqeq: "error",
    },
  },
  {
    // node:test's test() returns a promise the runner itself awaits.
    files: ["test/unit/**/*.ts"],
    rules: { "@typescript-eslint/no-floating-promises": "off" },
  },
);
