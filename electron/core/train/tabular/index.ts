// Tabular synthetic-data generators: column preparation, the CTGAN/TVAE transformer, the Gaussian copula baseline,
// the shared cell formatting, and the two-sample statistics validation reuses.
export { prepareColumns, cellToNumber, type TableSchema, type SchemaColumn, type ColumnRole, type PreparedColumn, type ContinuousColumn, type DiscreteColumn } from './schema';
export { formatNumber, conformNumber, type NumericFormat, type NumericType } from './format';
export { Transformer, fitTransformer, type OutputSpan, type SpanKind, type DiscreteSpanInfo, type TransformerJSON } from './transformer';
export { fitGmm, type Gmm, type GmmOptions } from './gmm';
export { fitCopula, sampleCopula, type CopulaModel, type Marginal, type ContinuousMarginal, type DiscreteMarginal } from './copula';
export { ksStatistic, pearson, spearman, ranks } from './stats';
export { normalCdf, normalQuantile } from './gaussian';
