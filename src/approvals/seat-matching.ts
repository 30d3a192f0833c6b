// Seats approvers on approval steps so that as many seats as possible are filled while
// each approver takes at most one seat: one person counts toward one step only. This is
// maximum bipartite matching (approvers × seats). A greedy pass is wrong: seat someone
// who is both an engineer and a manager on the peer step, and a later peer-only approver
// finds no seat, though seating the first as the manager would fill both. Kuhn's
// augmenting paths move earlier approvers to other steps whenever that frees a seat.

export interface SeatAssignment {
  /** Seats filled: the largest number any valid assignment achieves. */
  readonly filled: number
  /** Per step, the indexes of the approvers seated on it. */
  readonly byStep: readonly (readonly number[])[]
}

interface Search {
  readonly eligible: readonly (readonly number[])[]
  readonly capacities: readonly number[]
  readonly byStep: number[][]
  readonly visited: boolean[]
}

/**
 * Seats approver `a`, possibly by moving seated approvers along an augmenting path.
 * A step is visited at most once per search: all its seats are alike, so a step that
 * could not take `a` once cannot on a second visit. Depth is bounded by the step count.
 */
function augment(a: number, search: Search): boolean {
  for (const s of search.eligible[a] ?? []) {
    const seated = search.byStep[s]
    const capacity = search.capacities[s] ?? 0
    if (seated === undefined || search.visited[s] === true) continue
    search.visited[s] = true
    if (seated.length < capacity) {
      seated.push(a)
      return true
    }
    for (let k = 0; k < seated.length; k++) {
      // Try to move the approver in seat k elsewhere; if that works, `a` takes the seat.
      if (augment(seated[k] as number, search)) {
        seated[k] = a
        return true
      }
    }
  }
  return false
}

/**
 * A maximum assignment of approvers to step seats.
 * @param eligible for each approver, the indexes of the steps they may fill
 * @param capacities for each step, its number of seats (the quorum)
 */
export function assignSeats(
  eligible: readonly (readonly number[])[],
  capacities: readonly number[],
): SeatAssignment {
  const byStep = capacities.map((): number[] => [])
  let filled = 0
  for (let a = 0; a < eligible.length; a++) {
    const search: Search = { eligible, capacities, byStep, visited: capacities.map(() => false) }
    if (augment(a, search)) filled++
  }
  return { filled, byStep }
}
