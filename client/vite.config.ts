import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The client imports only types from the contracts package, but resolving it to the
// source keeps the build independent of packages/contracts/dist.
const contractsSource = fileURLToPath(new URL('../packages/contracts/src/index.ts', import.meta.url));
const serverUrl = process.env.OBMEET_SERVER ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@obmeet/contracts': contractsSource } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    // `npm run dev -w @obmeet/client` talks to a server started with `npm start`.
    proxy: {
      '/api': serverUrl,
      '/socket.io': { target: serverUrl, ws: true },
    },
  },
});
