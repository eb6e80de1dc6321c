import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelProblems } from '../../src/render/model-validation.js';
import { smallModel, smallModelV2 } from './fixture.js';

describe('modelProblems', () => {
  it('accepts a sound model', () => {
    assert.deepEqual(modelProblems(smallModel()), []);
  });

  it('names each problem by its place in the model', () => {
    const m = smallModel();
    const ground = m.floors[0]!;
    ground.rooms[1]!.polygon = [
      [4, 0],
      [8, 0],
      [8, 5],
      [4, 5],
    ]; // overlaps the living room by 1 m
    ground.rooms.push({
      id: 'outside',
      type: 'other',
      polygon: [
        [8, 0],
        [10, 0],
        [10, 2],
      ],
    });
    ground.doors[0]!.wall_id = 'nope';
    ground.windows[0]!.offset = 7.9; // 1.4 m wide: sticks out of the 8 m wall
    ground.stairs[0]!.to_level = 7;
    m.floors[1]!.level = 0; // two floors on level 0
    m.floors[1]!.stairs = [];
    m.floors[1]!.rooms[0]!.polygon = [
      [0, 0],
      [8, 0],
      [0, 5],
      [8, 5],
    ]; // crossing edges
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
    m.floors[0]!.rooms.push({
      id: 'closet',
      type: 'closet',
      polygon: [
        [1, 1],
        [2, 1],
        [2, 2],
        [1, 2],
      ],
    });
    m.floors[0]!.rooms.push({
      id: 'twin',
      type: 'kitchen',
      polygon: [
        [5, 0],
        [8, 0],
        [8, 5],
        [5, 5],
      ],
    });
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

describe('modelProblems, version 2', () => {
  const type = 'value_error.floor_plan';

  it('accepts fixtures, door swings, window heights and a balcony outside the outline', () => {
    assert.deepEqual(modelProblems(smallModelV2()), []);
  });

  it('names each fault of the version 2 parts by its place', () => {
    const m = smallModelV2();
    const ground = m.floors[0]!;
    ground.fixtures![0]!.room_id = 'pantry';
    ground.fixtures![1]!.position = [8.5, 4.35]; // half through the kitchen's wall
    ground.fixtures![2]!.id = 'counter';
    ground.doors[0]!.room_id = 'bed'; // on another floor: not a space this door joins
    ground.windows[0]!.head_height = 3; // above the 2.6 m ceiling
    assert.deepEqual(modelProblems(m), [
      { loc: ['floors', 0, 'doors', 0, 'room_id'], msg: 'the door joins "living" and "kitchen"; room_id must be one of them', type },
      { loc: ['floors', 0, 'windows', 0, 'head_height'], msg: "the window's head is above the 2.6 m ceiling", type },
      { loc: ['floors', 0, 'fixtures', 0, 'room_id'], msg: 'no room with id "pantry" on this floor', type },
      { loc: ['floors', 0, 'fixtures', 1, 'position'], msg: 'the fridge does not lie inside its room "kitchen"', type },
      { loc: ['floors', 0, 'fixtures', 2, 'id'], msg: 'id "counter" is used more than once on this floor', type },
    ]);
  });

  it('refuses a sill at or above the head', () => {
    const m = smallModelV2();
    m.floors[0]!.windows[0]!.sill_height = 2.2;
    assert.deepEqual(modelProblems(m), [{ loc: ['floors', 0, 'windows', 0, 'sill_height'], msg: 'the sill must be below the head', type }]);
  });

  it('refuses version 2 parts in a version 1 model, each by its place', () => {
    const m = smallModelV2();
    m.version = 1;
    assert.deepEqual(
      modelProblems(m).map((p) => [p.loc.join('.'), p.msg]),
      [
        ['floors.0.fixtures', 'fixtures needs "version": 2'],
        ['floors.0.rooms.2.type', 'an outdoor space (balcony) needs "version": 2'],
        ['floors.0.doors.0.room_id', 'room_id needs "version": 2'],
        ['floors.0.doors.0.swing', 'swing needs "version": 2'],
        ['floors.0.doors.0.hinge', 'hinge needs "version": 2'],
        ['floors.0.doors.2.swing', 'swing needs "version": 2'],
        ['floors.0.windows.0.sill_height', 'sill_height needs "version": 2'],
        ['floors.0.windows.0.head_height', 'head_height needs "version": 2'],
        ['floors.1.fixtures', 'fixtures needs "version": 2'],
      ],
    );
  });

  it('still keeps indoor rooms inside the outline', () => {
    const m = smallModelV2();
    m.floors[0]!.rooms[2]!.type = 'other';
    assert.deepEqual(
      modelProblems(m).map((p) => [p.loc.join('.'), p.msg]),
      [
        ['floors.0.rooms.2.polygon', 'the room must lie inside the floor outline'],
        ['floors.0.rooms', 'the rooms cover more area than the outline'],
      ],
    );
  });
});
