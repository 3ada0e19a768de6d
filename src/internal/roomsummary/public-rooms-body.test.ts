import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { publicRoomsQueryOfBody } from './public-rooms-body.js';

describe('publicRoomsQueryOfBody', () => {
  it('takes the paging and the filter, and leaves the network fields to the route', () => {
    const q = publicRoomsQueryOfBody({
      limit: 5,
      since: 'o10',
      filter: { generic_search_term: 'cats', room_types: [null, 'm.space'] },
      include_all_networks: true,
      third_party_instance_id: 'irc',
    });
    assert.deepEqual(q, { limit: 5, since: 'o10', genericSearchTerm: 'cats', roomTypes: [null, 'm.space'] });
  });

  it('asks for everything when the body is empty', () => {
    assert.deepEqual(publicRoomsQueryOfBody({}), { limit: undefined, since: undefined, genericSearchTerm: undefined, roomTypes: undefined });
  });
});
