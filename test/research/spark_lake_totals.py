"""Totals of exported lakes as Spark reads them, for test/research/spark-scan.test.ts.

Usage: spark-submit spark_lake_totals.py SPEC.json, where SPEC is {"lakes": [{"name", "base", "ticks": [files],
"bars": [files]}], "out": FILE}: each lake's files (those its manifest lists, as local paths under `base`, in the
Hive layout) read with the partition columns symbol and date, and per symbol-day the row counts and exact sums
(DECIMAL(38,8), so the summation order does not matter) written to `out` as JSON.
"""
import json
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

EXACT = "decimal(38,8)"


def exact_sum(column):
    return F.sum(F.col(column).cast(EXACT)).cast("string")


def totals(spark, lake):
    ticks = spark.read.option("basePath", lake["base"] + "/ticks").parquet(*lake["ticks"]) \
        .groupBy("symbol", "date").agg(F.count("*").alias("ticks"), exact_sum("price").alias("price"),
                                       exact_sum("qty").alias("qty"), F.sum("aggId").cast("string").alias("aggId"))
    bars = spark.read.option("basePath", lake["base"] + "/bars_1s").parquet(*lake["bars"]) \
        .groupBy("symbol", "date").agg(F.count("*").alias("bars"), exact_sum("volume").alias("volume"))
    rows = ticks.join(bars, ["symbol", "date"], "full").orderBy("symbol", "date").collect()
    return [{k: (int(v) if k in ("ticks", "bars") else v) for k, v in r.asDict().items()} for r in rows]


def main(spec_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    spark = (SparkSession.builder.appName("pairs-lab lake totals")
             .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false").getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    try:
        result = {lake["name"]: totals(spark, lake) for lake in spec["lakes"]}
    finally:
        spark.stop()
    with open(spec["out"], "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[1])
