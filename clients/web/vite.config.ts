import { defineConfig } from "vite";

// The server serves the built app at / from the parley-web jar (META-INF/resources). `npm run dev` serves it on
// :5173 and relays gRPC-Web calls to a server on :8080, so no CORS settings are needed while developing.
export default defineConfig({
  build: { outDir: "target/classes/META-INF/resources", emptyOutDir: true },
  server: {
    proxy: { "^/(parley\\.v1|grpc)\\.": { target: "http://127.0.0.1:8080" } },
  },
});
