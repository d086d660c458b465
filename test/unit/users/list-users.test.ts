import { describe, expect, it } from 'vitest';
import listUsers from '../../../functions/users/list-users.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { editedUserdata } from '../../helpers/userdata-variants.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

function list(query = '') {
  return call(listUsers, jsonRequest('GET', `/users${query}`), makeCtx(temp));
}

describe('GET /users', () => {
  it('lists the usernames of users[] in file order, without the main user', async () => {
    expect(await list()).toMatchObject({ status: 200, body: ['user1', 'user2', 'user3'] });
  });

  it('puts the main user first with ?withMainUser=true (also 1 and TRUE)', async () => {
    for (const value of ['true', '1', 'TRUE']) {
      expect((await list(`?withMainUser=${value}`)).body).toEqual(['tester', 'user1', 'user2', 'user3']);
    }
    expect((await list('?withMainUser=false')).body).toEqual(['user1', 'user2', 'user3']);
  });

  it('answers [] when the users key is missing or the list is empty', async () => {
    for (const edit of [(d: any) => delete d.users, (d: any) => (d.users = [])]) {
      temp.writeUserdata(editedUserdata(edit));
      expect(await list()).toMatchObject({ status: 200, body: [] });
      expect((await list('?withMainUser=true')).body).toEqual(['tester']);
    }
  });

  it('sees a user another program added a moment ago', async () => {
    temp.writeUserdata(editedUserdata((d) => d.users.push({ username: 'added_by_hand' })));
    expect((await list()).body).toEqual(['user1', 'user2', 'user3', 'added_by_hand']);
  });

  it('leaves out a main user the file does not name', async () => {
    temp.writeUserdata(editedUserdata((d) => delete d.username));
    expect((await list('?withMainUser=true')).body).toEqual(['user1', 'user2', 'user3']);
  });

  it('answers 400 naming withMainUser when it is not a boolean', async () => {
    for (const value of ['yes', '', '2']) {
      const { status, body } = await list(`?withMainUser=${value}`);
      expect(status).toBe(400);
      expect(body.field).toBe('withMainUser');
    }
  });
});
