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
    // `npm run dev -w @obmeet/client` talks to a server started with `npm start`
    // (set OBMEET_SERVER when it is not on 127.0.0.1:3000).
    // The server accepts cookie-authenticated writes and sockets only from its own origin
    // (SITE_URL), so the dev proxy presents requests as coming from there.
    proxy: {
      '/api': { target: serverUrl, headers: { origin: serverUrl } },
      '/socket.io': { target: serverUrl, ws: true, headers: { origin: serverUrl } },
    },
  },
});
