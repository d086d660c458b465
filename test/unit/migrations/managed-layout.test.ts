// The start-up check of userdata.json's layout: the 1.2 layout passes, the modules layout stops the server.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertManagedLayout, unmanagedLayout, UnmanagedLayoutError } from '../../../migrations/managed-layout.js';
import { silentLogger } from '../../../runtime/logger.js';
import { createStore } from '../../../store/store.js';
import { userdataVariants } from '../../helpers/userdata-variants.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

describe('assertManagedLayout', () => {
  it('lets the 1.2 layout through, in every variant the tests know', () => {
    expect(() => assertManagedLayout(createStore(temp.root, silentLogger))).not.toThrow();
    for (const [name, data] of userdataVariants()) expect(unmanagedLayout(data), name).toBeUndefined();
    // An empty modules section says nothing about where the services are.
    expect(unmanagedLayout({ modules: {} })).toBeUndefined();
  });

  it('refuses services under modules.<id> with one line naming the layout and the docs section', () => {
    temp.writeUserdata({ ...temp.readUserdata(), modules: { bitwarden: { enable: true, location: 'sdb' } } });
    let thrown: unknown;
    try {
      assertManagedLayout(createStore(temp.root, silentLogger));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnmanagedLayoutError);
    const message = (thrown as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('modules.<id>');
    expect(message).toContain('userdata.json 1.2 layout');
    expect(message).toContain('docs/deploy.md');
  });

  it('leaves a missing userdata.json to the migrations, as before', () => {
    const store = createStore(temp.root, silentLogger);
    fs.rmSync(store.paths.userdata);
    expect(() => assertManagedLayout(store)).not.toThrow();
  });
});
