// GraphQL area "monitoring": the server page's charts, read from Prometheus by domain/monitoring.
import { GraphQLError } from 'graphql';
import {
  cpuChart, diskChart, memoryChart, networkChart, serviceMemoryChart, swapChart, type MetricsChart, type ValuesChart,
} from '../../domain/monitoring/charts.js';
import { prometheusClient, type PrometheusClient } from '../../domain/monitoring/prometheus-client.js';
import { MonitoringInputError, timeWindow, type RangeRequest, type TimeWindow } from '../../domain/monitoring/time-window.js';
import type { GraphqlArea, ResolverContext } from '../area.js';

const typeDefs = /* GraphQL */ `
  type MonitoringValue {
    timestamp: DateTime!
    value: String!
  }

  type MonitoringValues {
    values: [MonitoringValue!]!
  }

  type MonitoringMetric {
    metricId: String!
    values: [MonitoringValue!]!
  }

  type MonitoringMetrics {
    metrics: [MonitoringMetric!]!
  }

  type MonitoringQueryError {
    error: String!
  }

  union MonitoringValuesResult = MonitoringValues | MonitoringQueryError
  union MonitoringMetricsResult = MonitoringMetrics | MonitoringQueryError

  type CpuMonitoring {
    start: DateTime
    end: DateTime
    step: Int!
    overallUsage: MonitoringValuesResult!
  }

  type MemoryMonitoring {
    start: DateTime
    end: DateTime
    step: Int!
    overallUsage: MonitoringValuesResult!
    swapUsageOverall: MonitoringValuesResult!
    averageUsageByService: MonitoringMetricsResult!
    maxUsageByService: MonitoringMetricsResult!
  }

  type DiskMonitoring {
    start: DateTime
    end: DateTime
    step: Int!
    overallUsage: MonitoringMetricsResult!
  }

  type NetworkMonitoring {
    start: DateTime
    end: DateTime
    step: Int!
    overallUsage: MonitoringMetricsResult!
  }

  type Monitoring {
    cpuUsage(start: DateTime = null, end: DateTime = null, step: Int! = 60): CpuMonitoring!
    memoryUsage(start: DateTime = null, end: DateTime = null, step: Int! = 60): MemoryMonitoring!
    diskUsage(start: DateTime = null, end: DateTime = null, step: Int! = 60): DiskMonitoring!
    networkUsage(start: DateTime = null, end: DateTime = null, step: Int! = 60): NetworkMonitoring!
  }

  extend type Query {
    monitoring: Monitoring!
  }
`;

/** What each chart field of one `…Usage` selection reads: the window asked for and the Prometheus to ask. */
interface UsageRange {
  start: Date;
  end: Date;
  step: number;
  window: TimeWindow;
  prometheus: PrometheusClient;
}

/** A range no chart can draw is the caller's mistake: an input error, not a chart's MonitoringQueryError. */
function usageRange(_parent: unknown, args: RangeRequest, { ctx }: ResolverContext): UsageRange {
  try {
    const window = timeWindow(args, ctx.now());
    return { start: window.start, end: window.end, step: window.stepSeconds, window, prometheus: prometheusClient(ctx.settings.prometheusUrl) };
  } catch (error) {
    if (error instanceof MonitoringInputError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
    throw error;
  }
}

type Chart<T> = (prometheus: PrometheusClient, window: TimeWindow) => Promise<T>;

const chartOf = <T>(draw: Chart<T>) => ({ prometheus, window }: UsageRange): Promise<T> => draw(prometheus, window);

const resultType = (values: string) => (answer: ValuesChart | MetricsChart): string => ('error' in answer ? 'MonitoringQueryError' : values);

export const monitoringArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    Query: { monitoring: () => ({}) },
    Monitoring: { cpuUsage: usageRange, memoryUsage: usageRange, diskUsage: usageRange, networkUsage: usageRange },
    CpuMonitoring: { overallUsage: chartOf(cpuChart) },
    MemoryMonitoring: {
      overallUsage: chartOf(memoryChart),
      swapUsageOverall: chartOf(swapChart),
      averageUsageByService: chartOf((prometheus, window) => serviceMemoryChart(prometheus, window, 'avg')),
      maxUsageByService: chartOf((prometheus, window) => serviceMemoryChart(prometheus, window, 'max')),
    },
    DiskMonitoring: { overallUsage: chartOf(diskChart) },
    NetworkMonitoring: { overallUsage: chartOf(networkChart) },
    MonitoringValuesResult: { __resolveType: resultType('MonitoringValues') },
    MonitoringMetricsResult: { __resolveType: resultType('MonitoringMetrics') },
  },
};
