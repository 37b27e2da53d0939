'use client';

import type { ComponentType } from 'react';
import type { ChartRange } from '@/lib/chart/types';
import { WIDGET_SPECS, type WidgetId, type WidgetSpec } from '@/lib/chart/widgets';
import { GrowthPanel } from './growth-panel';
import { LabsPanel } from './labs-panel';
import { PatientBanner } from './patient-banner';
import { ProblemsPanel } from './problems-panel';
import { SmokingPanel } from './smoking-panel';
import { VitalsPanel } from './vitals-panel';

/** What every widget is given: the launch's context, the chart's range and its own title. */
export interface WidgetProps {
  readonly launchId: string;
  readonly range: ChartRange;
  readonly title: string;
  readonly needPatientBanner: boolean;
  readonly userLabel: string;
  readonly ehrLabel: string;
  readonly patientId?: string;
}

/**
 * The UI half of a chart widget (the server half is lib/api/widgets.ts, keyed
 * by the same id). `place` says where the chart shows it: the banner above the
 * chart, or the grid.
 */
export interface UiWidget {
  readonly spec: WidgetSpec;
  readonly title: string;
  readonly place: 'banner' | 'grid';
  readonly Component: ComponentType<WidgetProps>;
}

/** In the order the chart shows them. */
export const UI_WIDGETS: { readonly [I in WidgetId]: UiWidget } = {
  banner: { spec: WIDGET_SPECS.banner, title: 'Patient details', place: 'banner', Component: PatientBanner },
  vitals: { spec: WIDGET_SPECS.vitals, title: 'Vitals', place: 'grid', Component: VitalsPanel },
  growth: { spec: WIDGET_SPECS.growth, title: 'Growth', place: 'grid', Component: GrowthPanel },
  problems: { spec: WIDGET_SPECS.problems, title: 'Problems', place: 'grid', Component: ProblemsPanel },
  smoking: { spec: WIDGET_SPECS.smoking, title: 'Smoking status', place: 'grid', Component: SmokingPanel },
  labs: { spec: WIDGET_SPECS.labs, title: 'Lab results', place: 'grid', Component: LabsPanel },
};

export const CHART_WIDGETS: readonly UiWidget[] = Object.values(UI_WIDGETS);
