/**
 * The flow arithmetic of user-interactive auth: which stage a client may attempt next, and when
 * a flow is complete. Stages of a flow must be completed in order (spec: "Failing to follow the
 * flows in order must result in an HTTP 401 response").
 */

/** One flow: the stage types to complete, in order. */
export type UiaFlow = readonly string[];

/** Whether some flow has completed exactly its stages before `stage`, with `stage` next. */
export function isNextStage(flows: readonly UiaFlow[], completed: readonly string[], stage: string): boolean {
  return flows.some((flow) => {
    const at = flow.indexOf(stage);
    return at >= 0 && at === completed.length && flow.slice(0, at).every((s, i) => completed[i] === s);
  });
}

/** Whether the completed stages finish some flow. */
export function isFlowComplete(flows: readonly UiaFlow[], completed: readonly string[]): boolean {
  return flows.some((flow) => flow.length === completed.length && flow.every((s, i) => completed[i] === s));
}
