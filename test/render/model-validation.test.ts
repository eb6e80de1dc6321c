import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelProblems } from '../../src/render/model-validation.js';
import type { FloorPlanModel } from '../../src/render/model.js';

/** Two rooms side by side in a 8 × 5 m outline, a door between them, a window, stairs to level 1. */
export function smallModel(): FloorPlanModel {
  return {
    version: 1,
    floors: [
      {
        level: 0,
        below_grade: false,
        height: 2.6,
        outline: [[0, 0], [8, 0], [8, 5], [0, 5]],
        rooms: [
          { id: 'living', type: 'living_room', polygon: [[0, 0], [5, 0], [5, 5], [0, 5]] },
          { id: 'kitchen', type: 'kitchen', name: 'Chef’s kitchen', polygon: [[5, 0], [8, 0], [8, 5], [5, 5]] },
        ],
        walls: [
          { id: 'w-top', start: [0, 0], end: [8, 0], thickness: 0.3, exterior: true },
          { id: 'w-right', start: [8, 0], end: [8, 5], thickness: 0.3, exterior: true },
          { id: 'w-bottom', start: [8, 5], end: [0, 5], thickness: 0.3, exterior: true },
          { id: 'w-left', start: [0, 5], end: [0, 0], thickness: 0.3, exterior: true },
          { id: 'w-mid', start: [5, 0], end: [5, 5], thickness: 0.12, exterior: false },
        ],
        doors: [
          { id: 'd1', wall_id: 'w-mid', offset: 2.5, width: 0.8 },
          { id: 'd-entry', wall_id: 'w-bottom', offset: 6, width: 0.9 },
        ],
        windows: [{ id: 'win1', wall_id: 'w-top', offset: 2.5, width: 1.4 }],
        stairs: [{ id: 's1', polygon: [[0.2, 0.2], [1.2, 0.2], [1.2, 3.0], [0.2, 3.0]], to_level: 1 }],
      },
      {
        level: 1,
        below_grade: false,
        height: 2.5,
        outline: [[0, 0], [8, 0], [8, 5], [0, 5]],
        rooms: [{ id: 'bed', type: 'bedroom', polygon: [[0, 0], [8, 0], [8, 5], [0, 5]] }],
        walls: [{ id: 'w1', start: [0, 0], end: [8, 0], thickness: 0.3, exterior: true }],
        doors: [],
        windows: [],
        stairs: [{ id: 's1', polygon: [[0.2, 0.2], [1.2, 0.2], [1.2, 3.0], [0.2, 3.0]], to_level: 0 }],
      },
    ],
  };
}

describe('modelProblems', () => {
  it('accepts a sound model', () => {
    assert.deepEqual(modelProblems(smallModel()), []);
  });

  it('names each problem by its place in the model', () => {
    const m = smallModel();
    const ground = m.floors[0]!;
    ground.rooms[1]!.polygon = [[4, 0], [8, 0], [8, 5], [4, 5]]; // overlaps the living room by 1 m
    ground.rooms.push({ id: 'outside', type: 'other', polygon: [[8, 0], [10, 0], [10, 2]] });
    ground.doors[0]!.wall_id = 'nope';
    ground.windows[0]!.offset = 7.9; // 1.4 m wide: sticks out of the 8 m wall
    ground.stairs[0]!.to_level = 7;
    m.floors[1]!.level = 0; // two floors on level 0
    m.floors[1]!.stairs = [];
    m.floors[1]!.rooms[0]!.polygon = [[0, 0], [8, 0], [0, 5], [8, 5]]; // crossing edges
    const type = 'value_error.floor_plan';
    assert.deepEqual(modelProblems(m), [
      { loc: ['floors', 0, 'rooms', 1, 'polygon'], msg: 'the room overlaps room 0 ("living")', type },
      { loc: ['floors', 0, 'rooms', 2, 'polygon'], msg: 'the room must lie inside the floor outline', type },
      { loc: ['floors', 0, 'rooms'], msg: 'the rooms cover more area than the outline', type },
      { loc: ['floors', 0, 'doors', 0, 'wall_id'], msg: 'no wall with id "nope" on this floor', type },
      { loc: ['floors', 0, 'windows', 0, 'offset'], msg: 'the opening (1.4 m wide at 7.9 m) does not fit on its 8.00 m wall', type },
      { loc: ['floors', 1, 'level'], msg: 'level 0 appears on more than one floor', type },
      { loc: ['floors', 1, 'rooms', 0, 'polygon'], msg: 'the room must be a simple polygon with a positive area', type },
      { loc: ['floors', 0, 'stairs', 0, 'to_level'], msg: 'no floor has level 7', type },
    ]);
  });

  it('finds a room nested inside another and one identical to another', () => {
    const m = smallModel();
    m.floors[0]!.rooms.push({ id: 'closet', type: 'closet', polygon: [[1, 1], [2, 1], [2, 2], [1, 2]] });
    m.floors[0]!.rooms.push({ id: 'twin', type: 'kitchen', polygon: [[5, 0], [8, 0], [8, 5], [5, 5]] });
    assert.deepEqual(
      modelProblems(m).map((p) => [p.loc.join('.'), p.msg]),
      [
        ['floors.0.rooms.2.polygon', 'the room overlaps room 0 ("living")'],
        ['floors.0.rooms.3.polygon', 'the room overlaps room 1 ("kitchen")'],
        ['floors.0.rooms', 'the rooms cover more area than the outline'],
      ],
    );
  });
});
