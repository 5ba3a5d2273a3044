# One image for every role: docker-compose.yml runs it as api, bot and workers (and, with the
# `backup` profile, the `backup` target below). Node 24 is the current LTS; Depot also runs on 20 and 22.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# patches/ before npm ci: its postinstall (patch-package, a dependency) applies them, see patches/README.md
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# .dockerignore keeps tests/, bench/, .git, node_modules and local files out
COPY . .
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node itself (not npm, not the tsx CLI) receives SIGTERM and shuts down cleanly. Node 24 runs the
# TypeScript with its own type stripping (tsconfig's erasableSyntaxOnly keeps the code strippable);
# npm scripts keep `node --import tsx` for Node 20, which has no type stripping.
ENTRYPOINT ["node", "bin/depot.ts"]
CMD []

# The scheduled backups of docker-compose.yml: the same code plus pg_dump/pg_restore. Debian bookworm's
# client is PostgreSQL 15, like the compose database; pg_dump must not be older than the server.
FROM runtime AS backup
USER root
RUN apt-get update \
  && apt-get install -y --no-install-recommends postgresql-client \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /backups && chown node:node /backups
USER node
HEALTHCHECK NONE
ENTRYPOINT ["node", "bin/backup.ts"]
CMD ["backup", "--dir", "/backups"]

# `docker build .` without --target builds the application image
FROM runtime
