import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { PROJECT_ROOT } from '../../runtime/project-files.js';
import { readRouteDefinitions } from '../../runtime/routes.js';

const unit = fs.readFileSync(path.join(PROJECT_ROOT, 'deploy/selfprivacy-api.service'), 'utf8');
const nginx = fs.readFileSync(path.join(PROJECT_ROOT, 'deploy/nginx-api.conf'), 'utf8');

function directives(name: string): string[] {
  return [...unit.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((match) => (match[1] as string).trim());
}

const environment = Object.fromEntries(
  directives('Environment').map((assignment) => [assignment.slice(0, assignment.indexOf('=')), assignment.slice(assignment.indexOf('=') + 1)]),
);

describe('deploy/selfprivacy-api.service', () => {
  it('runs the entry the build produces, as root, with the NixOS system PATH', () => {
    expect(directives('User')).toEqual(['root']);
    const [command] = directives('ExecStart');
    expect(command).toMatch(/^\/\S+\/node dist\/runtime\/serve\.cjs$/);
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'dist/runtime/serve.cjs'))).toBe(true);
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'dist/server/server.cjs'))).toBe(true);
    expect(environment.PATH).toBe('/run/current-system/sw/bin');
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

  it('waits for the rebuild routes as long as the API does (issue 14 item 12)', () => {
    const rebuild = /location ~ \^\/system\/configuration\/\(apply\|upgrade\|rollback\)\$ \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    expect(rebuild).toContain(`proxy_pass http://${environment.HOST}:${environment.PORT};`);
    expect(rebuild).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    const seconds = Number(/proxy_read_timeout (\d+)s;/.exec(rebuild)?.[1]);
    const routeLimit = readRouteDefinitions().find((route) => route.path === '/system/configuration/apply')?.timeLimitSeconds;
    expect(seconds).toBeGreaterThanOrEqual(routeLimit ?? Infinity);
  });
});
