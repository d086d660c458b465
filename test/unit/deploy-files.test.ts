// The files that install the server (deploy/ for any Linux, flake.nix and nix/ for NixOS) against
// the names the code uses: variables it reads, units it starts, paths it keeps its files in.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIGURATION_ACTIONS } from '../../domain/system-units.js';
import { API_VERSION } from '../../kit/api-version.js';
import { DEFAULT_PROMETHEUS_URL } from '../../domain/monitoring/prometheus-client.js';
import { loadConfig } from '../../runtime/config.js';
import { NODE_EXPORTER_COLLECTORS } from '../../runtime/monitoring-daemons.js';
import { parseLogLevel } from '../../runtime/logger.js';
import { SERVER_NODE_FLAGS } from '../../runtime/node-flags.js';
import { PROJECT_ROOT } from '../../kit/project-files.js';
import { readRouteDefinitions } from '../../kit/routes.js';
import { serverPaths } from '../../store/server-paths.js';
import { nixAttributeValue, bracedBlock, nixOptionDefaults, nixVariableAssignments, projectText, runtimeFiles } from '../helpers/nix-files.js';

const unit = fs.readFileSync(path.join(PROJECT_ROOT, 'deploy/selfprivacy-api.service'), 'utf8');
const nginx = fs.readFileSync(path.join(PROJECT_ROOT, 'deploy/nginx-api.conf'), 'utf8');

function directives(name: string): string[] {
  return [...unit.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((match) => (match[1] as string).trim());
}

const environment = Object.fromEntries(
  directives('Environment').map((assignment) => [assignment.slice(0, assignment.indexOf('=')), assignment.slice(assignment.indexOf('=') + 1)]),
);

describe('deploy/selfprivacy-api.service', () => {
  it('runs the entry the build produces, as root, with the system PATH of a Linux machine', () => {
    expect(directives('User')).toEqual(['root']);
    const [command] = directives('ExecStart');
    expect(command).toBe(`/usr/bin/node ${SERVER_NODE_FLAGS.join(' ')} dist/runtime/serve.cjs`);
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'dist/runtime/serve.cjs'))).toBe(true);
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'dist/server/server.cjs'))).toBe(true);
    expect(environment.PATH?.split(':')).toContain('/usr/bin');
    expect(runtimeFiles()).toContain(command?.split(' ').at(-1));
  });

  it('starts node with the server\'s flags, as `npm run serve` does', () => {
    expect(SERVER_NODE_FLAGS.length).toBeGreaterThan(0);
    const scripts = (JSON.parse(projectText('package.json')) as { scripts: Record<string, string> }).scripts;
    // npm gives scripts package.json's "config" as npm_package_config_* variables.
    const flags = '$npm_package_config_serverNodeFlags';
    expect(scripts.serve).toMatch(/&& node \$npm_package_config_serverNodeFlags dist\/runtime\/serve\.cjs$/);
    expect(scripts.build).toContain(`node ${flags} dist/scripts/bundle-server.js`);
    expect(scripts.serve).toContain(`node ${flags} scripts/dist-freshness.mjs`);
  });

  it('gives the server the contract\'s production settings', () => {
    const config = loadConfig(environment);
    expect(config).toMatchObject({ root: '/', host: '127.0.0.1', port: 5050, logLevel: 'info', swaggerFromEnv: false });
  });

  it('keeps secrets out of the world-readable unit', () => {
    expect(unit).not.toMatch(/RESTIC_PASSWORD=|accountKey|Bearer/);
    expect(directives('EnvironmentFile')).toEqual(['-/etc/selfprivacy/api.env']);
  });
});

describe('deploy/nginx-api.conf', () => {
  it('proxies to the address the unit listens on and passes the client address', () => {
    expect(nginx).toContain(`proxy_pass http://${environment.HOST}:${environment.PORT};`);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
  });

  it('waits for the rebuild routes as long as the API does', () => {
    const rebuild = /location ~ \^\/system\/configuration\/\(apply\|upgrade\|rollback\)\$ \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    expect(rebuild).toContain(`proxy_pass http://${environment.HOST}:${environment.PORT};`);
    expect(rebuild).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    const seconds = Number(/proxy_read_timeout (\d+)s;/.exec(rebuild)?.[1]);
    const routeLimit = readRouteDefinitions().find((route) => route.function === 'functions/system/start-configuration-unit.ts')?.timeLimitSeconds;
    expect(seconds).toBeGreaterThanOrEqual(routeLimit ?? Infinity);
  });

  it('passes WebSocket upgrades on to /graphql', () => {
    const graphql = bracedBlock(nginx, 'location /graphql {');
    expect(graphql).toContain(`proxy_pass http://${environment.HOST}:${environment.PORT};`);
    expect(graphql).toMatch(/proxy_http_version 1\.1;/);
    expect(graphql).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(graphql).toMatch(/proxy_set_header Connection "upgrade";/);
  });
});

/** Every variable loadConfig reads, found by handing it an environment that records each question. */
function variablesTheCodeReads(): Set<string> {
  const asked = new Set<string>();
  loadConfig(new Proxy({}, { get: (_target, name) => (typeof name === 'string' && asked.add(name), undefined) }));
  return asked;
}

const moduleText = projectText('nix/module.nix');
const apiService = bracedBlock(moduleText, 'systemd.services.selfprivacy-api = {');
const optionDefaults = nixOptionDefaults(moduleText);
const productionPaths = serverPaths('/');

/** The value a `NAME = …;` of the module takes with every option at its default. */
function atDefaults(valueText: string): string {
  const option = /^(?:toString )?cfg\.(\w+)$/.exec(valueText);
  if (option) return String(optionDefaults.get(option[1] as string));
  if (/^"[^"$]*"$/.test(valueText)) return valueText.slice(1, -1);
  throw new Error(`not a literal or an option: ${valueText}`);
}

describe('nix/module.nix', () => {
  const assignments = nixVariableAssignments(nixAttributeValue(apiService, 'environment ='));
  // Variables set only when an option is on: `lib.optionalAttrs cfg.<option> { NAME = …; }`.
  const conditional = new Map(
    [...apiService.matchAll(/lib\.optionalAttrs cfg\.([\w.]+) \{([^}]*)\}/g)].flatMap((match) =>
      [...nixVariableAssignments(match[2] as string).keys()].map((name) => [name, match[1] as string] as const),
    ),
  );
  const environmentFileNames = new Set(bracedBlock(moduleText, 'environmentFile = lib.mkOption {').match(/\b[A-Z][A-Z_]{3,}\b/g));

  it('sets only variables the configuration reads (HOME is for restic, git and nix)', () => {
    const read = variablesTheCodeReads();
    for (const name of assignments.keys()) if (name !== 'HOME') expect(read, name).toContain(name);
  });

  it('gives every variable the configuration reads a setting or a place in environmentFile', () => {
    for (const name of variablesTheCodeReads()) {
      expect(assignments.has(name) || environmentFileNames.has(name), name).toBe(true);
    }
    expect([...environmentFileNames]).toEqual(expect.arrayContaining(['RESTIC_PASSWORD']));
    expect(assignments.has('RESTIC_PASSWORD')).toBe(false);
  });

  it('gives the server the contract\'s production settings at its defaults', () => {
    const unconditional = [...assignments].filter(([name]) => !conditional.has(name));
    const environment = Object.fromEntries(unconditional.map(([name, value]) => [name, atDefaults(value)]));
    expect(loadConfig(environment)).toMatchObject({ root: '/', host: '127.0.0.1', port: 5050, logLevel: 'info', swaggerFromEnv: false });
    expect(conditional.get('ENABLE_SWAGGER')).toBe('enableSwagger');
    expect(loadConfig({ ENABLE_SWAGGER: atDefaults(assignments.get('ENABLE_SWAGGER') as string) }).swaggerFromEnv).toBe(true);
  });

  it('points the API at Prometheus and node exporter\'s textfile folder when monitoring is on, as it is by default', () => {
    expect(conditional.get('SELFPRIVACY_PROMETHEUS_URL')).toBe('monitoring.enable');
    expect(conditional.get('SELFPRIVACY_NODE_EXPORTER_TEXTFILE_DIR')).toBe('monitoring.enable');
    // Service memory is sampled as often as Prometheus scrapes.
    const sampleSeconds = atDefaults(assignments.get('SELFPRIVACY_SERVICE_MEMORY_INTERVAL') as string);
    expect(bracedBlock(moduleText, 'services.prometheus = {')).toContain(`globalConfig.scrape_interval = "${sampleSeconds}s";`);
    expect(bracedBlock(moduleText, 'monitoring = {')).toMatch(/enable = lib\.mkOption \{[^}]*default = true;/);
    // The module's Prometheus is where the API looks when nothing says otherwise.
    expect(moduleText).toContain('prometheusUrl = "http://127.0.0.1:${toString cfg.monitoring.prometheusPort}";');
    expect(`http://127.0.0.1:${String(optionDefaults.get('prometheusPort'))}`).toBe(DEFAULT_PROMETHEUS_URL);
    const textfileFolder = /textfileFolder = "([^"]+)";/.exec(moduleText)?.[1] ?? '';
    expect(loadConfig({ SELFPRIVACY_NODE_EXPORTER_TEXTFILE_DIR: textfileFolder }).nodeExporterTextfileFolder).toBe(textfileFolder);
    // Its own folder, traversable by node exporter's user: not under the API's root-only state folder.
    expect(textfileFolder.startsWith(`${productionPaths.apiStateFolder}/`)).toBe(false);
    expect(moduleText).toContain('systemd.tmpfiles.rules = [ "d ${textfileFolder} 0755 root root - -" ];');
  });

  it('runs Prometheus and node exporter on loopback, keeping about 30 days, with the collectors the charts read', () => {
    const prometheus = bracedBlock(moduleText, 'services.prometheus = {');
    expect(prometheus).toMatch(/enable = true;/);
    expect(prometheus).toMatch(/listenAddress = "127\.0\.0\.1";\s+port = cfg\.monitoring\.prometheusPort;/);
    expect(prometheus).toMatch(/retentionTime = cfg\.monitoring\.retentionTime;/);
    expect(optionDefaults.get('retentionTime')).toBe('30d');
    expect(prometheus).toMatch(/targets = \[ nodeExporterTarget \];/);
    expect(moduleText).toContain('nodeExporterTarget = "127.0.0.1:${toString cfg.monitoring.nodeExporterPort}";');
    const exporter = bracedBlock(prometheus, 'exporters.node = {');
    expect(exporter).toMatch(/listenAddress = "127\.0\.0\.1";\s+port = cfg\.monitoring\.nodeExporterPort;/);
    expect(exporter).toMatch(/enabledCollectors = nodeExporterCollectors;/);
    expect(exporter).toContain('"--collector.disable-defaults" "--collector.textfile.directory=${textfileFolder}"');
    const collectors = /nodeExporterCollectors = \[([^\]]*)\];/.exec(moduleText)?.[1]?.match(/"(\w+)"/g)?.map((name) => name.slice(1, -1));
    expect(collectors).toEqual([...NODE_EXPORTER_COLLECTORS]);
    expect(moduleText).not.toMatch(/openFirewall = true/);
  });

  it('offers exactly the log levels the logger knows', () => {
    const levels = [...(/type = lib\.types\.enum \[([^\]]*)\]/.exec(bracedBlock(moduleText, 'logLevel = lib.mkOption {'))?.[1] ?? '').matchAll(/"(\w+)"/g)].map((m) => m[1]);
    expect(levels.length).toBeGreaterThan(0);
    for (const level of levels) expect(parseLogLevel(level as string), level).toBe(level);
    expect(levels).toContain(optionDefaults.get('logLevel'));
  });

  it('declares the units the API starts for apply, upgrade and rollback, and no other', () => {
    const declared = [...moduleText.matchAll(/systemd\.services\.([\w-]+) =/g)].map((match) => `${match[1]}.service`);
    const started = Object.values(CONFIGURATION_ACTIONS).map((action) => action.unit);
    expect(declared.filter((unit) => unit !== 'selfprivacy-api.service').sort()).toEqual([...started].sort());
    // Every ordering names one of them.
    for (const [, unit] of moduleText.matchAll(/"([\w-]+\.service)"/g)) expect(started, unit).toContain(unit);
 
    // The flake's NixOS test looks for the same units.
    const checked = /for unit in \[([^\]]*)\]/.exec(projectText('flake.nix'))?.[1]?.match(/[\w-]+/g)?.map((unit) => `${unit}.service`);
    expect(checked?.sort()).toEqual([...started].sort());
  });

  it('runs each unit as its action means: switch, update then switch, switch back', () => {
    const unitText = (action: keyof typeof CONFIGURATION_ACTIONS): string =>
      bracedBlock(moduleText, `systemd.services.${CONFIGURATION_ACTIONS[action].unit.replace(/\.service$/, '')} = systemChangeUnit {`);
    expect(unitText('apply')).toMatch(/command = "\$\{nixosRebuild\} switch --flake \$\{systemFlake\}";/);
    expect(unitText('upgrade')).toMatch(/preStart = "\$\{nix\} flake update";/);
    expect(unitText('upgrade')).toMatch(/command = "\$\{nixosRebuild\} switch --flake \$\{systemFlake\}";/);
    expect(unitText('rollback')).toMatch(/command = "\$\{nixosRebuild\} switch --rollback --flake \$\{systemFlake\}";/);
  });

  it('rebuilds in the NixOS configuration the API edits', () => {
    const folders = [...moduleText.matchAll(/WorkingDirectory = "([^"]+)";/g)].map((match) => match[1]);
    expect(folders).toEqual([productionPaths.nixosConfig]);
  });

  it('keeps the API\'s state and audit log folders where the store puts them', () => {
    const directive = (name: string): string => (new RegExp(`${name} = "([^"]+)";`).exec(apiService)?.[1] ?? '');
    expect(path.join('/var/lib', directive('StateDirectory'))).toBe(productionPaths.apiStateFolder);
    expect(path.join('/var/log', directive('LogsDirectory'))).toBe(path.dirname(productionPaths.auditLog));
    expect(directive('StateDirectoryMode')).toBe('0700');
  });

  it('runs the API as root, always restarted, with the commands it runs on its PATH', () => {
    expect(apiService).toMatch(/User = "root";/);
    expect(apiService).toMatch(/Restart = "always";/);
    const packages = nixAttributeValue(apiService, 'path =').replace(/^\[|\]$/g, '').split(/\s+/).filter(Boolean);
    expect(packages).toEqual(
      expect.arrayContaining([
        'pkgs.gitMinimal',
        'pkgs.restic',
        'pkgs.rclone',
        'config.systemd.package',
        'pkgs.util-linux',
        'pkgs.iproute2',
        'config.nix.package.out',
        'config.system.build.nixos-rebuild',
      ]),
    );
  });

  it('keeps secrets out of the Nix store', () => {
    expect(moduleText).not.toMatch(/RESTIC_PASSWORD =|accountKey|Bearer/);
    expect(bracedBlock(moduleText, 'environmentFile = lib.mkOption {')).toMatch(/type = lib\.types\.nullOr lib\.types\.str;/);
    // The same file as the plain systemd unit's, so both deploy paths are documented alike.
    expect(`-${/example = "([^"]+)";/.exec(bracedBlock(moduleText, 'environmentFile = lib.mkOption {'))?.[1]}`).toBe(directives('EnvironmentFile')[0]);
  });

  it('proxies nginx to the address the API listens on, as deploy/nginx-api.conf does, with WebSockets on /graphql', () => {
    const address = /apiAddress = "http:\/\/\$\{cfg\.host\}:\$\{toString cfg\.port\}";/.test(moduleText)
      ? `http://${String(optionDefaults.get('host'))}:${String(optionDefaults.get('port'))}`
      : null;
    expect(nginx).toContain(`proxy_pass ${address};`);
    expect(bracedBlock(moduleText, 'proxiedLocation = {')).toMatch(/proxyPass = apiAddress;/);
    expect(moduleText).toMatch(/locations\."\/graphql" = proxiedLocation \/\/ \{ proxyWebsockets = true; \};/);
    const timeout = /proxy_read_timeout (\d+s);/;
    expect(timeout.exec(moduleText)?.[1]).toBe(timeout.exec(nginx)?.[1]);
    // The rebuild routes wait as long in both.
    expect(moduleText).toContain('locations."~ ^/system/configuration/(apply|upgrade|rollback)$" = rebuildLocation;');
    expect(bracedBlock(moduleText, 'rebuildLocation = proxiedLocation // {')).toContain('proxy_read_timeout 21900s;');
    expect(nginx).toContain('proxy_read_timeout 21900s;');
  });
});

describe('flake.nix and nix/package.nix', () => {
  const flake = projectText('flake.nix');
  const packageNix = projectText('nix/package.nix');

  it('builds for x86_64 and aarch64 Linux and exports the module with this flake\'s packages', () => {
    expect(flake).toMatch(/systems = \[ "x86_64-linux" "aarch64-linux" \];/);
    expect(flake).toMatch(/default = pkgs\.callPackage \.\/nix\/package\.nix \{ inherit npmRegistry; \};/);
    // The registry is the builder's own: nothing under nix/ or in the flake names one.
    for (const text of [flake, packageNix, moduleText, projectText('nix/npm-lock.nix')]) expect(text).not.toMatch(/https?:\/\/[^"\s]*registry/);
    expect(flake).toMatch(/nixosModules\.default = import \.\/nix\/module\.nix self\.packages;/);
    expect(moduleText).toMatch(/^packages:\n/m);
  });

  it('takes the dependencies from package-lock.json with no hash kept by hand', () => {
    expect(packageNix).toMatch(/npmDeps = importNpmLock \{\s*npmRoot = \.\.\/\.;/);
    expect(packageNix).toMatch(/npmConfigHook = importNpmLock\.npmConfigHook;/);
    expect(packageNix).toMatch(/packageLock = import \.\/npm-lock\.nix \{\s*lock = lib\.importJSON \.\.\/package-lock\.json;\s*registry =/);
    expect(packageNix).not.toMatch(/npmDepsHash|sha256|hash =/);
  });

  it('builds from every folder `npm run build` compiles', () => {
    const compiled = (JSON.parse(projectText('tsconfig.build.json')) as { include: string[] }).include;
    const sources = [...bracedBlock(packageNix, 'fileset = lib.fileset.unions [').matchAll(/\.\.\/([\w.-]+)/g)].map((match) => match[1]);
    expect(sources).toEqual(expect.arrayContaining([...compiled, 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'routes.json']));
    expect(packageNix).toMatch(/\.\/runtime-files\n/);
  });

  it('installs the files nix/runtime-files lists, and they are what the build made', () => {
    expect(packageNix).toMatch(/done < nix\/runtime-files/);
    for (const file of runtimeFiles()) expect(fs.existsSync(path.join(PROJECT_ROOT, file)), file).toBe(true);
  });

  it('wraps the launcher of the installed bundle as bin/selfprivacy-api, which the module runs', () => {
    const wrapped = /makeWrapper \$\{lib\.getExe nodejs\} "\$out\/bin\/(\S+)" --add-flags "(.*) \$app\/(\S+)"/.exec(packageNix);
    expect(wrapped?.[1]).toBe('selfprivacy-api');
    // The flags the server runs with, read from package.json where runtime/node-flags.ts reads them.
    expect(wrapped?.[2]).toBe('${packageJson.config.serverNodeFlags}');
    expect(runtimeFiles()).toContain(wrapped?.[3]);
    expect(packageNix).toMatch(/mainProgram = "selfprivacy-api";/);
    expect(apiService).toMatch(/ExecStart = lib\.getExe cfg\.package;/);
  });

  it('builds and runs on Node 24 LTS, a line package.json "engines" names', () => {
    expect(packageNix).toMatch(/^ {2}nodejs = nodejs_24;$/m);
    expect(packageNix).toMatch(/^ {2}inherit nodejs;$/m);
    const engines = (JSON.parse(projectText('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines.split('||').map((range) => range.trim())).toContain('^24.0.0');
  });
});

describe('licence and release notes', () => {
  const packageJson = JSON.parse(projectText('package.json')) as { version: string; license: string };

  it('is the GNU AGPL, version 3 or later, in package.json, the licence text and the Nix package alike', () => {
    expect(packageJson.license).toBe('AGPL-3.0-or-later');
    expect(projectText('LICENSE')).toMatch(/^\s+GNU AFFERO GENERAL PUBLIC LICENSE\n\s+Version 3, 19 November 2007\n/);
    expect(projectText('nix/package.nix')).toMatch(/license = lib\.licenses\.agpl3Plus;/);
  });

  it('has a changelog section for the version package.json and the API report', () => {
    expect(packageJson.version).toBe(API_VERSION);
    expect(projectText('CHANGELOG.md')).toMatch(new RegExp(`^## \\[${packageJson.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
  });
});
