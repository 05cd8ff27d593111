import { el, type SetSegment } from './segments';
import { loops } from './set-mapping';

// The hierarchy of an 856: each HL loop (HL01 id, HL02 parent id, HL03 level S shipment, O order,
// T tare, P pack, I item) with the segments up to the next HL.

export interface HlNode {
  hl: SetSegment;
  level: string;
  segments: SetSegment[];
  children: HlNode[];
}

export function hlTree(body: readonly SetSegment[]): HlNode[] {
  const byId = new Map<string, HlNode>();
  const roots: HlNode[] = [];
  for (const loop of loops(body, 'HL')) {
    const hl = loop[0]!;
    const node: HlNode = { hl, level: el(hl, 3), segments: loop.slice(1), children: [] };
    byId.set(el(hl, 1), node);
    // A parent that was never declared (or none) makes the node a root rather than losing it.
    const parent = byId.get(el(hl, 2));
    if (parent) parent.children.push(node);
    else roots.push(node);
  }

  return roots;
}

/** The node and all below it, depth first. */
export function descendants(node: HlNode): HlNode[] {
  return [node, ...node.children.flatMap(descendants)];
}

export function ofLevel(nodes: readonly HlNode[], level: string): HlNode[] {
  return nodes.flatMap(descendants).filter((n) => n.level === level);
}
