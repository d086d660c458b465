// GraphQL area "monitoring": this server has no metrics source, so every metric answers a MonitoringQueryError.
import type { GraphqlArea } from '../area.js';

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

/** Upstream reads metrics from Prometheus; this server runs none, and says so in every result. */
export const NO_METRICS_SOURCE = 'Not supported on this server: there is no metrics source (no Prometheus) to read usage from';

const noMetrics = { error: NO_METRICS_SOURCE };

interface RangeArgs {
  start: Date | null;
  end: Date | null;
  step: number;
}

/** The range asked for, echoed back, with every series replaced by the error. */
function unavailable(series: readonly string[]) {
  return (_parent: unknown, { start, end, step }: RangeArgs) => ({
    start,
    end,
    step,
    ...Object.fromEntries(series.map((name) => [name, noMetrics])),
  });
}

export const monitoringArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    Query: { monitoring: () => ({}) },
    Monitoring: {
      cpuUsage: unavailable(['overallUsage']),
      memoryUsage: unavailable(['overallUsage', 'swapUsageOverall', 'averageUsageByService', 'maxUsageByService']),
      diskUsage: unavailable(['overallUsage']),
      networkUsage: unavailable(['overallUsage']),
    },
    MonitoringValuesResult: { __resolveType: () => 'MonitoringQueryError' },
    MonitoringMetricsResult: { __resolveType: () => 'MonitoringQueryError' },
  },
};
