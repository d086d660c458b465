// A request's view of the store: one read per file per request, fresh again after any write.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../runtime/logger.js';
import { requestStore } from '../../../store/request-store.js';
import { createStore } from '../../../store/store.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

function renameDevice(from: string, to: string): void {
  const tokens = temp.readTokens();
  tokens.tokens.find((record: { name: string }) => record.name === from).name = to;
  temp.writeTokens(tokens);
}

describe('requestStore', () => {
  it('answers a second read in the same request from the first one, without going to disk', () => {
    const view = requestStore(createStore(temp.root, silentLogger));
    const first = view.tokens.read();
    fs.rmSync(temp.paths.tokens);
    expect(view.tokens.read()).toBe(first);
  });

  it('gives the next request what is on disk now', () => {
    const store = createStore(temp.root, silentLogger);
    expect(requestStore(store).tokens.read().tokens[1]?.name).toBe('Pixel_6');
    renameDevice('Pixel_6', 'Pixel_7');
    expect(requestStore(store).tokens.read().tokens[1]?.name).toBe('Pixel_7');
  });

  it('reads from disk again after a write by this request', async () => {
    const view = requestStore(createStore(temp.root, silentLogger));
    view.userdata.read();
    await view.userdata.update((data) => {
      data.timezone = 'Asia/Tokyo';
    });
    expect(view.userdata.read().timezone).toBe('Asia/Tokyo');
  });

  it('reads from disk again after a write by another request of this process', async () => {
    const store = createStore(temp.root, silentLogger);
    const view = requestStore(store);
    view.userdata.read();
    await requestStore(store).userdata.update((data) => {
      data.timezone = 'Asia/Tokyo';
    });
    expect(view.userdata.read().timezone).toBe('Asia/Tokyo');
  });

  it('keeps the files and queues of the store it views', () => {
    const store = createStore(temp.root, silentLogger);
    const view = requestStore(store);
    expect(view.paths).toBe(store.paths);
    expect(view.files).toBe(store.files);
    expect(view.tokens.filePath).toBe(store.tokens.filePath);
  });
});
