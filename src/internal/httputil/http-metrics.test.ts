/** HTTP metrics: one series per method, route pattern and status, counted and timed per response. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import Fastify from 'fastify';
import { HttpMetrics } from './http-metrics.js';

it('counts and times each response under its route pattern, method and status', async () => {
  const metrics = new HttpMetrics();
  const app = Fastify();
  metrics.instrument(app);
  app.get('/items/:id', async (req, reply) => ((req.params as { id: string }).id === 'missing' ? reply.code(404).send({}) : {}));
  for (const id of ['a', 'b', 'c', 'missing']) assert.ok((await app.inject({ method: 'GET', url: `/items/${id}` })).statusCode > 0);
  await app.inject({ method: 'GET', url: '/nowhere' });
  const text = await metrics.registry.metrics();
  const line = (prefix: string) => text.split('\n').find((l) => l.startsWith(prefix));
  assert.equal(line('axon_http_requests_total{method="GET",route="/items/:id",status="200"}'), 'axon_http_requests_total{method="GET",route="/items/:id",status="200"} 3');
  assert.equal(line('axon_http_requests_total{method="GET",route="/items/:id",status="404"}'), 'axon_http_requests_total{method="GET",route="/items/:id",status="404"} 1');
  assert.equal(line('axon_http_request_duration_seconds_count{method="GET",route="/items/:id"}'), 'axon_http_request_duration_seconds_count{method="GET",route="/items/:id"} 4');
  // A URL no route matches is one series, never one per raw URL.
  assert.equal(line('axon_http_requests_total{method="GET",route="unmatched",status="404"}'), 'axon_http_requests_total{method="GET",route="unmatched",status="404"} 1');
  await app.close();
});
