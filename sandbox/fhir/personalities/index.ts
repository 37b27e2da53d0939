import type { Personality } from '../../contract';
import { athena } from './athena';
import { cerner } from './cerner';
import { epic } from './epic';
import { generic } from './generic';
import { nextgen } from './nextgen';
import type { PersonalityDef } from './types';

const ALL: Readonly<Record<Personality, PersonalityDef>> = { generic, epic, cerner, athena, nextgen };

export function personalityDef(personality: Personality): PersonalityDef {
  return ALL[personality];
}

export type { PersonalityDef } from './types';
