import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import getDkimKey from '../../../functions/services/dkim.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import type { TempRoot } from '../../helpers/temp-root.js';
import { useTempRoots } from '../../helpers/setup.js';

const makeRoot = useTempRoots();
let temp: TempRoot;

const RECORD = 'selector._domainkey\tIN\tTXT\t( "v=DKIM1; k=rsa; "\n\t  "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" )  ; ----- DKIM key selector for test.tld\n';

describe('GET /services/mailserver/dkim', () => {
  it('answers the base64 of the domain\'s DKIM record file', async () => {
    temp = makeRoot({ domain: 'test.tld', dkim: RECORD });
    const { status, body } = await call(getDkimKey, jsonRequest('GET', '/services/mailserver/dkim'), makeCtx(temp));
    expect(status).toBe(200);
    expect(body).toBe(Buffer.from(RECORD).toString('base64'));
  });

  it('encodes the file byte for byte, whatever its bytes', async () => {
    temp = makeRoot({ domain: 'test.tld' });
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0xc3, 0x28, 0x7f]);
    fs.writeFileSync(path.join(temp.paths.dkimFolder, 'test.tld.selector.txt'), bytes);
    const { body } = await call(getDkimKey, jsonRequest('GET', '/services/mailserver/dkim'), makeCtx(temp));
    expect(Buffer.from(body, 'base64').equals(bytes)).toBe(true);
  });

  it('reads the record of the domain named in var/domain', async () => {
    temp = makeRoot({ domain: 'other.example', dkim: RECORD });
    fs.writeFileSync(path.join(temp.paths.dkimFolder, 'test.tld.selector.txt'), 'not this one');
    const { body } = await call(getDkimKey, jsonRequest('GET', '/services/mailserver/dkim'), makeCtx(temp));
    expect(Buffer.from(body, 'base64').toString()).toBe(RECORD);
  });

  it('answers 404 when the record file is missing', async () => {
    temp = makeRoot({ domain: 'test.tld' });
    const { status, body } = await call(getDkimKey, jsonRequest('GET', '/services/mailserver/dkim'), makeCtx(temp));
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'DKIM key not found' });
  });

  it('answers 404 when var/domain is missing', async () => {
    temp = makeRoot({ domain: 'test.tld', dkim: RECORD });
    fs.rmSync(temp.paths.domainFile);
    const { status } = await call(getDkimKey, jsonRequest('GET', '/services/mailserver/dkim'), makeCtx(temp));
    expect(status).toBe(404);
  });
});
