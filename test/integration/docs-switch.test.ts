import { describe, expect, it } from 'vitest';
import { type ServerProcess } from '../helpers/server-process.js';
import { type TempRoot } from '../helpers/temp-root.js';
import { useServerStarts, useTempRoot } from '../helpers/setup.js';

const DOCS_PATHS = ['/api/swagger.json', '/api/docs', '/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-init.js'];

const temp = useTempRoot();
const start = useServerStarts();

async function statuses(running: ServerProcess): Promise<number[]> {
  return Promise.all(
    DOCS_PATHS.map(async (path) => {
      const response = await running.fetch(path);
      await response.body?.cancel();
      return response.status;
    }),
  );
}

function setSwitch(root: TempRoot, value: boolean): void {
  const userdata = root.readUserdata();
  userdata.api = { ...userdata.api, enableSwagger: value };
  root.writeUserdata(userdata);
}

describe('docs switch (ENABLE_SWAGGER or api.enableSwagger)', () => {
  it('serves no docs without either, and follows api.enableSwagger on a running server', async () => {
    const server = await start(temp.root, { ENABLE_SWAGGER: '' });
    expect(await statuses(server)).toEqual(DOCS_PATHS.map(() => 404));
    setSwitch(temp, true);
    expect(await statuses(server)).toEqual(DOCS_PATHS.map(() => 200));
    setSwitch(temp, false);
    expect(await statuses(server)).toEqual(DOCS_PATHS.map(() => 404));
  });

  it('serves the docs with ENABLE_SWAGGER=1 even when userdata says false', async () => {
    setSwitch(temp, false);
    const server = await start(temp.root, { ENABLE_SWAGGER: '1' });
    expect(await statuses(server)).toEqual(DOCS_PATHS.map(() => 200));
  });
});
