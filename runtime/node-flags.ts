// The flags node runs the production server with. The systemd unit, the NixOS wrapper and
// `npm run serve` spell them out (test/unit/deploy-files.test.ts holds each to this list); the
// bench and the integration tests start the server with them, so they measure what is deployed.

/**
 * V8 sizes the young generation from the machine's memory: on a large machine it lets it grow
 * under load until the server holds several times the memory it needs, for no gain in CPU per
 * request (docs/benchmarks.md, "Memory"). The cap is about what V8 picks by itself on a server
 * with 2 GB of memory, the size SelfPrivacy servers usually have.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
