"""The universe scan of a Pairs Lab lake on Spark: `pairs-lab scan --spark` submits this file.

Spark reads the one-second bar files the job spec lists (the TypeScript side picked them from the lake's
manifest), resamples them to the timeframe, puts every symbol on the common grid and pairs them up in Spark SQL,
then pipes each aligned pair into the project's own TypeScript scan worker (RDD.pipe) on the executors. The
rules are those of src/analytics/commonGrid.ts: buckets aligned to the epoch, close of the bucket's last second,
grid from the latest first bar to the earliest last bar (newest maxBars buckets), last close carried; symbols with
fewer than 30 bars, then constant symbols, left out.

With `search` in the spec it runs the parameter search instead: each aligned pair (of spec.pairs, or every pair)
goes to the same worker with the search spec, which runs the backtester's grid search on it.

Usage: spark-submit universe_scan.py SPEC.json   (the spec: see src/research/sparkScan.ts, SparkJobSpec)
Writes the unranked rows as Parquet to spec.outDir/rows (a search: one JSON line per pair as text files in
spec.outDir/search) and the grid and skipped symbols to spec.outDir/meta.json.
"""
import json
import shlex
import sys
import time

STARTED = time.monotonic()
# milliseconds from the job's start to the end of each phase, reported in meta.json
PHASES_MS = {}


def phase_done(name, message):
    PHASES_MS[name] = round((time.monotonic() - STARTED) * 1000)
    sys.stderr.write(f"[universe_scan {PHASES_MS[name] / 1000:.1f}s] {message}\n")

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

MIN_SCAN_BARS = 30

ROW_SCHEMA = T.StructType([
    T.StructField("y", T.StringType(), False),
    T.StructField("x", T.StringType(), False),
    T.StructField("beta", T.DoubleType(), False),
    T.StructField("intercept", T.DoubleType(), False),
    T.StructField("egPValue", T.DoubleType(), False),
    T.StructField("egPValueReverse", T.DoubleType(), False),
    T.StructField("egStatistic", T.DoubleType(), False),
    T.StructField("adfStatistic", T.DoubleType(), False),
    T.StructField("adfPValue", T.DoubleType(), False),
    T.StructField("halfLife", T.DoubleType(), False),
    T.StructField("correlation", T.DoubleType(), False),
])
NUMBER_FIELDS = [f.name for f in ROW_SCHEMA.fields if isinstance(f.dataType, T.DoubleType)]


def symbol_bars(spark, spec):
    """(symbol, bucket, close) at the timeframe, from the listed files only, in one read: the files sit in the
    lake's Hive layout under bars_1s/, so the symbol is their partition value."""
    tf = spec["timeframeMs"]
    files = [f for leg in spec["legs"] for f in leg["files"]]
    if not files:
        return None
    raw = spark.read.option("basePath", spec["barsBase"]).parquet(*files).select("symbol", "time", "close")
    bucket = F.col("time") - F.pmod(F.col("time"), F.lit(tf))
    raw = raw.withColumn("bucket", bucket)
    if spec.get("from") is not None:
        raw = raw.where(F.col("bucket") >= F.lit(spec["from"]))
    if spec.get("to") is not None:
        raw = raw.where(F.col("bucket") < F.lit(spec["to"]))
    return raw.groupBy("symbol", "bucket").agg(F.max_by("close", "time").alias("close"))


def main(spec_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    spark = (SparkSession.builder.appName("pairs-lab universe scan")
             # a symbol such as 1000PEPEUSDT must stay a string, not become a number
             .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    phase_done("session", "Spark session up")
    try:
        run(spark, spec)
    finally:
        spark.stop()


def run(spark, spec):
    tf = spec["timeframeMs"]
    order = [leg["symbol"] for leg in spec["legs"]]
    bars = symbol_bars(spark, spec)
    if bars is not None:
        bars = bars.cache()
        ranges = {r["symbol"]: r for r in bars.groupBy("symbol").agg(
            F.count("*").alias("n"), F.min("bucket").alias("first"), F.max("bucket").alias("last")).collect()}
    else:
        ranges = {}
    phase_done("bars", f"bars of {len(ranges)} symbols")

    skipped = []
    usable = []
    for s in order:
        n = ranges[s]["n"] if s in ranges else 0
        if n >= MIN_SCAN_BARS:
            usable.append(s)
        else:
            skipped.append({"symbol": s, "reason": f"only {n} bars (a scan needs {MIN_SCAN_BARS})"})

    count = 0
    grid_start = 0
    if len(usable) >= 2:
        start = max(ranges[s]["first"] for s in usable)
        end = min(ranges[s]["last"] for s in usable)
        if end >= start:
            count = (end - start) // tf + 1
            if spec.get("maxBars") is not None:
                count = min(count, spec["maxBars"])
            grid_start = end - (count - 1) * tf
    if count == 0 and usable:
        # closesOnCommonGrid: no grid, so every usable symbol is constant over the (empty) grid
        skipped.extend({"symbol": s, "reason": "constant price over the range"} for s in usable)
        usable = []

    universe = []
    grid_closes = None
    if count > 0:
        symbols_df = spark.createDataFrame([(s,) for s in usable], "symbol string")
        grid = spark.range(count).select((F.lit(grid_start) + F.col("id") * F.lit(tf)).alias("bucket")).crossJoin(symbols_df)
        on_grid = grid.join(bars, ["symbol", "bucket"], "left")
        carried = F.last("close", ignorenulls=True).over(
            Window.partitionBy("symbol").orderBy("bucket").rowsBetween(Window.unboundedPreceding, Window.currentRow))
        carry_in = bars.where(F.col("bucket") <= F.lit(grid_start)).groupBy("symbol").agg(F.max_by("close", "bucket").alias("carryIn"))
        values = on_grid.withColumn("carried", carried).join(carry_in, "symbol", "left") \
            .select("symbol", "bucket", F.coalesce("carried", "carryIn").alias("close"))
        grid_closes = values.groupBy("symbol").agg(
            F.transform(F.sort_array(F.collect_list(F.struct("bucket", "close"))), lambda s: s["close"]).alias("closes"),
            F.min("close").alias("lo"), F.max("close").alias("hi")).cache()
        constant = {r["symbol"] for r in grid_closes.where(F.col("lo") == F.col("hi")).select("symbol").collect()}
        for s in usable:
            if s in constant:
                skipped.append({"symbol": s, "reason": "constant price over the range"})
            else:
                universe.append(s)

    phase_done("grid", f"grid of {count} buckets, {len(universe)} symbols")
    rows_dir = spec["outDir"] + "/rows"
    if spec.get("search") is not None:
        search_pairs(spark, spec, universe, grid_closes, grid_start)
    elif len(universe) >= 2 and count >= MIN_SCAN_BARS:
        index = spark.createDataFrame([(s, i) for i, s in enumerate(universe)], "symbol string, i int")
        legs = grid_closes.join(index, "symbol").select("symbol", "i", "closes")
        a, b = legs.alias("a"), legs.alias("b")
        pairs = a.join(b, F.col("a.i") < F.col("b.i")).select(
            F.col("a.symbol").alias("y"), F.col("b.symbol").alias("x"),
            F.col("a.closes").alias("yClose"), F.col("b.closes").alias("xClose"))
        min_corr = spec.get("minCorrelation")
        partitions = spec.get("partitions") or spark.sparkContext.defaultParallelism

        def pair_line(r):
            line = {"y": r["y"], "x": r["x"], "yClose": list(r["yClose"]), "xClose": list(r["xClose"])}
            if min_corr is not None:
                line["minCorrelation"] = min_corr
            # Python's float repr round-trips every double, so the worker sees the grid's exact values
            return json.dumps(line, allow_nan=False)

        worker = shlex.join(spec["workerCommand"])
        out = pairs.repartition(partitions).rdd.map(pair_line).pipe(worker, checkCode=True).map(parse_row)
        spark.createDataFrame(out, ROW_SCHEMA).write.mode("overwrite").parquet(rows_dir)
    else:
        spark.createDataFrame([], ROW_SCHEMA).write.mode("overwrite").parquet(rows_dir)

    phase_done("rows", "rows written")
    meta = {"bars": count, "from": grid_start, "to": grid_start + count * tf, "skipped": skipped,
            "cores": spark.sparkContext.defaultParallelism, "phasesMs": PHASES_MS}
    with open(spec["outDir"] + "/meta.json", "w", encoding="utf-8") as f:
        json.dump(meta, f)


def search_pairs(spark, spec, universe, grid_closes, grid_start):
    """Pipes each pair to search (spec.pairs in that order, else every pair of the universe) with its closes on the
    grid into the worker, which answers with the pair's grid search as one JSON line, saved as it is."""
    given = spec.get("pairs")
    if given is None:
        given = [[y, x] for i, y in enumerate(universe) for x in universe[i + 1:]]
    wanted = [(i, y, x) for i, (y, x) in enumerate(given) if y in universe and x in universe]
    if not wanted:
        return
    legs = grid_closes.select("symbol", "closes")
    pairs = spark.createDataFrame(wanted, "i int, y string, x string") \
        .join(legs.select(F.col("symbol").alias("y"), F.col("closes").alias("yClose")), "y") \
        .join(legs.select(F.col("symbol").alias("x"), F.col("closes").alias("xClose")), "x")
    base = {"search": spec["search"], "from": grid_start, "timeframeMs": spec["timeframeMs"]}
    partitions = spec.get("partitions") or spark.sparkContext.defaultParallelism

    def pair_line(r):
        line = {"i": r["i"], "y": r["y"], "x": r["x"], "yClose": list(r["yClose"]), "xClose": list(r["xClose"]), **base}
        return json.dumps(line, allow_nan=False)

    worker = shlex.join(spec["workerCommand"])
    out = pairs.repartition(partitions).rdd.map(pair_line).pipe(worker, checkCode=True).map(checked_line)
    out.saveAsTextFile(spec["outDir"] + "/search")


def checked_line(line):
    if line.startswith('{"error"'):
        raise RuntimeError(json.loads(line)["error"])
    return line


def parse_row(line):
    v = json.loads(line)
    if "error" in v:
        raise RuntimeError(v["error"])
    # the worker sends NaN and ±Infinity as strings (JSON has no literal for them)
    return tuple(float(v[k]) if k in NUMBER_FIELDS else v[k] for k in [f.name for f in ROW_SCHEMA.fields])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: spark-submit universe_scan.py SPEC.json\n")
        sys.exit(2)
    main(sys.argv[1])
