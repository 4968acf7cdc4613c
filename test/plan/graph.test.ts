import { describe, expect, it } from 'vitest';
import { buildGraph, type PlayTargets, serialBatches } from '../../src/plan/graph.ts';
import type { Play, PlayItem } from '../../src/playbook/model.ts';

const loc = { file: 'site.yml', line: 1 };
function play(index: number, items: PlayItem[], extra: Partial<Play> = {}): Play {
  return {
    index,
    name: `p${index}`,
    hosts: 'all',
    vars: {},
    items,
    handlers: [],
    anyErrorsFatal: false,
    become: false,
    tags: [],
    gatherFacts: false,
    barrier: false,
    location: loc,
    ...extra,
  };
}
const role = (name: string): PlayItem => ({
  kind: 'role',
  ref: { role: name, params: {}, tags: [], location: loc, paramsNode: {} },
});
const target = (p: Play, hosts: string[], serial?: Array<number | string>): PlayTargets => ({
  play: p,
  batches: serialBatches(hosts, serial),
  items: p.items.map((_, i) => i),
});
const deps = (nodes: ReturnType<typeof buildGraph>, id: string) =>
  [...nodes.find((n) => n.id === id)!.deps].sort();

describe('serial batches', () => {
  it.each([
    [[1], ['a', 'b', 'c'], [['a'], ['b'], ['c']]],
    [[2], ['a', 'b', 'c'], [['a', 'b'], ['c']]],
    [
      ['50%'],
      ['a', 'b', 'c', 'd'],
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      [1, 2],
      ['a', 'b', 'c', 'd', 'e'],
      [['a'], ['b', 'c'], ['d', 'e']],
    ],
    [['10%'], ['a', 'b'], [['a'], ['b']]],
  ])('serial %j over %j', (serial, hosts, batches) => {
    expect(serialBatches(hosts, serial)).toEqual(batches);
  });
});

describe('plan graph', () => {
  it('hosts run their items in order and in parallel with each other', () => {
    const p = play(0, [role('a'), role('b')]);
    const nodes = buildGraph([target(p, ['h1', 'h2'])], ['h1', 'h2'], () => []);
    expect(deps(nodes, '0.1@h1')).toEqual(['0.0@h1']);
    expect(deps(nodes, '0.0@h2')).toEqual([]);
  });

  it('a role waits for every node of the role it needs, on any host', () => {
    const p0 = play(0, [role('init')]);
    const p1 = play(1, [role('join')]);
    const nodes = buildGraph([target(p0, ['cp1']), target(p1, ['cp2', 'cp3'])], ['cp1', 'cp2', 'cp3'], (r) =>
      r === 'join' ? ['init'] : [],
    );
    expect(deps(nodes, '1.0@cp2')).toEqual(['0.0@cp1']);
    expect(deps(nodes, '1.0@cp3')).toEqual(['0.0@cp1']);
  });

  it('serial: a batch starts after the previous batch finished the play', () => {
    const p = play(0, [role('a'), role('b')]);
    const nodes = buildGraph([target(p, ['h1', 'h2', 'h3'], [1])], ['h1', 'h2', 'h3'], () => []);
    expect(deps(nodes, '0.0@h2')).toEqual(['0.0@h1', '0.1@h1']);
    expect(deps(nodes, '0.0@h3')).toEqual(['0.0@h2', '0.1@h2']);
  });

  it('barrier: lockstep, item by item, after all earlier plays', () => {
    const p0 = play(0, [role('pre')]);
    const p1 = play(1, [role('a'), role('b')], { barrier: true });
    const nodes = buildGraph([target(p0, ['h1', 'h2']), target(p1, ['h1', 'h2'])], ['h1', 'h2'], () => []);
    expect(deps(nodes, '1.0@h2')).toEqual(['0.0@h1', '0.0@h2']);
    expect(deps(nodes, '1.1@h1')).toEqual(['1.0@h1', '1.0@h2']);
  });

  it('meta end_play: the first host decides only after every host of the batch finished the task before', () => {
    const meta = { kind: 'task', task: { endPlay: 'play' } } as unknown as PlayItem;
    const p = play(0, [role('a'), meta, role('b')]);
    const nodes = buildGraph([target(p, ['h1', 'h2'])], ['h1', 'h2'], () => []);
    expect(deps(nodes, '0.1@h1')).toEqual(['0.0@h1', '0.0@h2']);
    expect(deps(nodes, '0.1@h2')).toEqual(['0.0@h2', '0.1@h1']);
    expect(deps(nodes, '0.2@h2')).toEqual(['0.1@h1', '0.1@h2']);
  });

  it('names a cycle with its path', () => {
    const p0 = play(0, [role('a'), role('b')]);
    expect(() => buildGraph([target(p0, ['h1'])], ['h1'], (r) => (r === 'a' ? ['b'] : []))).toThrow(
      /the plan has a cycle: role (a|b) on h1 -> role (a|b) on h1 -> role (a|b) on h1/,
    );
  });

  it('orders nodes deterministically by play, item and inventory host order', () => {
    const p = play(0, [role('a')]);
    const nodes = buildGraph([target(p, ['w2', 'w1'])], ['w1', 'w2'], () => []);
    expect(nodes.map((n) => n.order)).toEqual([
      [0, 0, 1],
      [0, 0, 0],
    ]);
  });
});
