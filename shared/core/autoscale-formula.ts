// The Azure Batch auto-scale formula the product generates for `autoscale <pool> min max`: the pool follows
// its pending and running tasks ($PendingTasks counts both), clamped to min..max, and nodes leave only once
// their tasks complete. The bounds are plain assignments so that they can be read back (the local engine
// scales by them; a card can show them).

export interface AutoScaleBounds {
  min: number;
  max: number;
}

/** `lowPriority`: the pool was created with low-priority/spot nodes, so those are the ones to target. */
export function autoScaleFormula(b: AutoScaleBounds, lowPriority = false): string {
  const target = lowPriority ? '$TargetLowPriorityNodes' : '$TargetDedicatedNodes';
  return [
    `minNodes = ${b.min};`,
    `maxNodes = ${b.max};`,
    'demand = max($PendingTasks.GetSample(1));',
    `${target} = max(minNodes, min(maxNodes, demand));`,
    '$NodeDeallocationOption = taskcompletion;',
  ].join('\n');
}

/**
 * The bounds of a formula: ours (minNodes/maxNodes), or a constant target (`$TargetDedicated[Nodes] = N`, as
 * in the service's examples) read as min = max = N. Undefined for any other formula.
 */
export function autoScaleBounds(formula: string): AutoScaleBounds | undefined {
  const num = (name: string): number | undefined => {
    const m = new RegExp(`(?:^|[;\\n])\\s*${name}\\s*=\\s*(\\d+)\\s*;`).exec(formula);
    return m ? Number(m[1]) : undefined;
  };
  const min = num('minNodes');
  const max = num('maxNodes');
  if (min !== undefined && max !== undefined) return { min, max };
  const constant = /^\s*\$Target(?:Dedicated|DedicatedNodes|LowPriorityNodes)\s*=\s*(\d+)\s*;?\s*$/.exec(formula);
  if (constant) return { min: Number(constant[1]), max: Number(constant[1]) };
  return undefined;
}
