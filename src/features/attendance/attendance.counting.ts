// The door's rules in one place: the state a party is in, what may follow from it, and how
// people are counted. The door page's counters, the CSV export and the monthly chart all count
// with these functions, so that they never disagree.
//
// A going party is in exactly one state:
//   expected   — nothing recorded yet;
//   checked in — with how many of the party came (a family of 3 of whom 2 came: 2 of 3);
//   no-show    — the party did not come.
// A walk-in (someone added at the door without an RSVP) is always checked in: they are on the
// list because they came, so they cannot be a no-show; undoing their check-in takes them off.

export type DoorState = 'expected' | 'checkedIn' | 'noShow';

/** What the door needs to know about one going party. */
export interface DoorFacts {
  partySize: number;
  /** People of the party who came; null until checked in. */
  arrived: number | null;
  noShow: boolean;
  walkIn: boolean;
}

export function doorState(party: Pick<DoorFacts, 'arrived' | 'noShow'>): DoorState {
  if (party.arrived !== null) return 'checkedIn';
  return party.noShow ? 'noShow' : 'expected';
}

/** People of this party who are here: what every count of attendance adds up. */
export function peopleHere(party: Pick<DoorFacts, 'arrived'>): number {
  return party.arrived ?? 0;
}

/**
 * Seats the party holds at the door: all of them while expected, those who came once checked
 * in, none after a no-show. The rest can go to walk-ins or to the waitlist.
 */
export function seatsHeldAtTheDoor(party: Pick<DoorFacts, 'partySize' | 'arrived' | 'noShow'>): number {
  const state = doorState(party);
  if (state === 'checkedIn') return party.arrived!;
  return state === 'expected' ? party.partySize : 0;
}

export interface DoorCounts {
  /** People in all going parties (walk-ins included): the "of y" in "x of y checked in". */
  registered: number;
  /** People checked in. */
  here: number;
  /** People of parties not yet checked in or marked. */
  expected: number;
  /** People who did not come: no-show parties and the missing members of checked-in ones. */
  away: number;
}

export function countDoor(parties: ReadonlyArray<Pick<DoorFacts, 'partySize' | 'arrived' | 'noShow'>>): DoorCounts {
  const counts: DoorCounts = { registered: 0, here: 0, expected: 0, away: 0 };
  for (const party of parties) {
    counts.registered += party.partySize;
    counts.here += peopleHere(party);
    if (doorState(party) === 'expected') counts.expected += party.partySize;
  }
  counts.away = counts.registered - counts.here - counts.expected;
  return counts;
}

/** Why a change at the door was refused (a message key of the door's catalogue). */
export type DoorRefusal = 'door.error.checkedInAlready' | 'door.error.walkInNoShow' | 'door.error.moreThanParty';

export type DoorPlan =
  | { kind: 'unchanged' }
  | { kind: 'set'; arrived: number | null; noShow: boolean }
  /** A walk-in whose check-in is undone leaves the list. */
  | { kind: 'remove' }
  | { kind: 'refused'; reason: DoorRefusal };

/**
 * What asking for `to` means from the party's current state. Asking for the state it is
 * already in changes nothing (two organisers tapping the same row both succeed); a no-show
 * only follows "expected", never silently undoing a check-in.
 */
export function planDoorChange(party: DoorFacts, to: DoorState, arrivedAsked?: number): DoorPlan {
  const from = doorState(party);
  if (to === 'checkedIn') {
    const arrived = party.walkIn ? party.partySize : (arrivedAsked ?? party.partySize);
    if (arrived < 1 || arrived > party.partySize) return { kind: 'refused', reason: 'door.error.moreThanParty' };
    if (from === 'checkedIn' && party.arrived === arrived) return { kind: 'unchanged' };
    return { kind: 'set', arrived, noShow: false };
  }
  if (to === 'noShow') {
    if (party.walkIn) return { kind: 'refused', reason: 'door.error.walkInNoShow' };
    if (from === 'checkedIn') return { kind: 'refused', reason: 'door.error.checkedInAlready' };
    return from === 'noShow' ? { kind: 'unchanged' } : { kind: 'set', arrived: null, noShow: true };
  }
  if (party.walkIn) return { kind: 'remove' };
  return from === 'expected' ? { kind: 'unchanged' } : { kind: 'set', arrived: null, noShow: false };
}
