// The divisions' journeys as the hub is configured (GET /api/v1/journeys = `config show
// --json`: its journeys.toml, an admin's override included), read by the Pipeline, Feedback and
// Admin screens, so that no screen keeps its own copy of the stages.
import { useApi } from './ui';

export interface Sla {
  kind: string;
  hours: number;
  business_hours: boolean;
  stops: string;
}

export interface StageChecklist {
  name: string;
  title: string;
  required_for: string;
  items: { key: string; label: string; required: boolean }[];
}

export interface Stage {
  name: string;
  outcome: 'open' | 'won' | 'after-won';
  checklists: StageChecklist[]; // complete before entering this stage (and any later one)
  next_actions: { action: string; due_days: number; owner: string }[]; // made on entering it
  slas: Sla[]; // clocks started when a deal is created at this (the first) stage
}

export interface Journey {
  division: string;
  won_stage: string;
  lost_stage: string;
  stages: Stage[]; // in order
  case_slas: Sla[];
}

export interface JourneysAnswer {
  journeys: Journey[];
}

export const JOURNEYS = '/api/v1/journeys';

export function useJourneys() {
  return useApi<JourneysAnswer>(JOURNEYS);
}

export const stageNames = (j: Journey) => j.stages.map((s) => s.name);

// The stages an open deal can be at: those before the won stage.
export const openStages = (j: Journey) => j.stages.filter((s) => s.outcome === 'open').map((s) => s.name);
