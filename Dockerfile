# m3shd hub image. Build: docker build -t m3shd .   Run: see docker-compose.yml.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles its native addon with node-gyp.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts/prisma-generate.mjs ./scripts/prisma-generate.mjs
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm ci
COPY . .
# The Next app into .next/ and the hub, worker and CLIs compiled into dist/; then the
# devDependencies (tsx, esbuild, TypeScript, the test tools) are pruned: nothing runs TypeScript.
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOST=0.0.0.0 MESH_DATA_DIR=/app/data
# The hub's runtime settings, as in scripts/lib/hub-launch.mjs (a unit test keeps them equal):
# two malloc arenas, and the node flags in CMD. Recovery: docker compose exec m3shd node dist/scripts/admin.js <command>
ENV MALLOC_ARENA_MAX=2
RUN useradd --system --create-home --home-dir /home/appuser appuser
COPY --from=build --chown=appuser:appuser /app /app
RUN mkdir -p /app/data && chown appuser:appuser /app/data
USER appuser
VOLUME ["/app/data"]
EXPOSE 3000
# bash's /dev/tcp, not `node -e fetch(...)`: a second node process peaks at ~80 MB every 30 s
# inside the same 256 MB limit as the hub; this peaks at ~3 MB.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-3000} && printf 'GET /api/health HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
CMD ["node", "--no-wasm-tier-up", "--no-wasm-dynamic-tiering", "--max-semi-space-size=8", "--max-old-space-size=160", "dist/server.js"]
