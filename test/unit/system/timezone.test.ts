import { describe, expect, it } from 'vitest';
import getTimezone from '../../../functions/system/get-timezone.js';
import setTimezone from '../../../functions/system/set-timezone.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { fixture } from '../../helpers/temp-root.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const put = (options: Parameters<typeof jsonRequest>[2]) =>
  call(setTimezone, jsonRequest('PUT', '/system/configuration/timezone', options), makeCtx(temp));

describe('GET /system/configuration/timezone', () => {
  it('answers the stored time zone as a JSON string', async () => {
    const { status, body } = await call(getTimezone, jsonRequest('GET', '/system/configuration/timezone'), makeCtx(temp));
    expect(status).toBe(200);
    expect(body).toBe('Europe/Moscow');
  });

  it('answers "Europe/Uzhgorod" when none is stored', async () => {
    const data = fixture('userdata.json');
    delete data.timezone;
    temp.writeUserdata(data);
    const { status, body } = await call(getTimezone, jsonRequest('GET', '/system/configuration/timezone'), makeCtx(temp));
    expect(status).toBe(200);
    expect(body).toBe('Europe/Uzhgorod');
  });
});

describe('PUT /system/configuration/timezone', () => {
  it('stores a canonical IANA name and answers "Timezone changed"', async () => {
    const { status, body } = await put({ body: { timezone: 'Europe/Berlin' } });
    expect(status).toBe(200);
    expect(body).toBe('Timezone changed');
    expect(temp.readUserdata()).toEqual({ ...fixture('userdata.json'), timezone: 'Europe/Berlin' });
  });

  it.each(['Europe/Uzhgorod', 'Europe/Kiev', 'US/Pacific', 'UTC', 'Etc/GMT+5', 'America/Port-au-Prince', 'America/Argentina/ComodRivadavia'])(
    'accepts %s, a name the tz database knows (links included)',
    async (timezone) => {
      const { status } = await put({ body: { timezone } });
      expect(status).toBe(200);
      expect(temp.readUserdata().timezone).toBe(timezone);
    },
  );

  it('adds the field when userdata.json has none', async () => {
    const data = fixture('userdata.json');
    delete data.timezone;
    temp.writeUserdata(data);
    const { status } = await put({ body: { timezone: 'Asia/Tokyo' } });
    expect(status).toBe(200);
    expect(temp.readUserdata().timezone).toBe('Asia/Tokyo');
  });

  const invalid: Array<[string, unknown]> = [
    ['an unknown zone', { timezone: 'Mars/Olympus_Mons' }],
    ['another spelling of a known zone', { timezone: 'europe/moscow' }],
    ['shouting a known zone', { timezone: 'Europe/MOSCOW' }],
    ['a path', { timezone: '../../etc/passwd' }],
    ['an offset', { timezone: '+03:00' }],
    ['an empty string', { timezone: '' }],
    ['10 KB of text', { timezone: 'Europe/' + 'A'.repeat(10_240) }],
    ['a NUL byte', { timezone: 'Europe/Moscow\u0000' }],
    ['a number', { timezone: 3 }],
    ['a boolean', { timezone: true }],
    ['null', { timezone: null }],
    ['no field', {}],
    ['a bare string body', 'Europe/Moscow'],
    ['an array body', ['Europe/Moscow']],
  ];
  it.each(invalid)('answers 400 naming the field for %s, and changes nothing', async (_case, body) => {
    const before = temp.userdataBytes();
    const result = await put({ body });
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual(expect.any(String));
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) expect(result.body.field).toBe('timezone');
    expect(temp.userdataBytes()).toBe(before);
  });

  it('answers 400 for a missing or malformed body, and changes nothing', async () => {
    const before = temp.userdataBytes();
    expect((await put({})).status).toBe(400);
    expect((await put({ rawBody: '{"timezone": "Europe/Berlin"' })).status).toBe(400);
    expect(temp.userdataBytes()).toBe(before);
  });
});
