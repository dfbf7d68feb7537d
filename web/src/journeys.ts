// The divisions' journeys as the hub is configured (GET /api/v1/journeys: its journeys.toml
// and calendar.toml, an admin's override included), read by the Pipeline, Feedback and Admin
// screens, so that no screen keeps its own copy of the stages.
import { useApi } from './ui';

export interface JourneyChecklist {
  name: string;
  title: string;
  required_for: string;
  items: string[];
  optional_items?: string[];
}

export interface Journey {
  division: string;
  stages: string[]; // in order; the won stage is one of them, post-win stages follow it
  won_stage: string;
  lost_stage: string;
  checklists?: JourneyChecklist[];
  next_actions?: { on_stage: string; action: string; due_days: number; owner?: string }[];
  slas?: { kind: string; hours: number; business_hours: boolean }[];
}

export interface JourneysAnswer {
  journeys: Journey[];
  calendar?: any;
  [k: string]: any;
}

export const JOURNEYS = '/api/v1/journeys';

export function useJourneys() {
  return useApi<JourneysAnswer>(JOURNEYS);
}

// The stages an open deal can be at: those before the won stage.
export function openStages(j: Journey): string[] {
  const w = j.stages.indexOf(j.won_stage);
  return w < 0 ? j.stages : j.stages.slice(0, w);
}
