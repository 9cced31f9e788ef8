// Where the pinned PySpark (python/requirements-spark.txt, in the project's .venv), its Java and the scan worker are,
// and the environment Spark's scripts need here. Each missing piece is a clear error saying how to get it.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface SparkRuntime {
  /** The pyspark package directory: Spark's bin/, sbin/ and jars/. */
  sparkHome: string;
  python: string;
  /** The job spark-submit runs (python/spark/universe_scan.py). */
  jobScript: string;
  /** The command the executors pipe aligned pairs into: Node and the compiled scan worker. */
  workerCommand: string[];
  /** The environment for spark-submit and the standalone daemons. */
  env: NodeJS.ProcessEnv;
}

/** The project root: the nearest directory above this module holding the Spark job. */
export function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'python', 'spark', 'universe_scan.py'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the Pairs Lab project (python/spark/universe_scan.py) above ${__dirname}`);
  }
}

function findJava(env: NodeJS.ProcessEnv): string | null {
  if (env.JAVA_HOME && existsSync(path.join(env.JAVA_HOME, 'bin', 'java'))) return path.join(env.JAVA_HOME, 'bin', 'java');
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'java'))) return path.join(dir, 'java');
  }
  return null;
}

/** The Spark runtime, checked; `base` is the environment to start from (default this process's). */
export function sparkRuntime(base: NodeJS.ProcessEnv = process.env): SparkRuntime {
  if (!findJava(base)) {
    throw new Error('Java is missing: Spark needs a Java 17 runtime on PATH or in JAVA_HOME (Debian: apt-get install openjdk-17-jre-headless)');
  }
  const root = projectRoot();
  const venv = path.join(root, '.venv');
  const python = path.join(venv, 'bin', 'python');
  const lib = path.join(venv, 'lib');
  const sparkHome = (existsSync(lib) ? readdirSync(lib) : [])
    .map((d) => path.join(lib, d, 'site-packages', 'pyspark'))
    .find((d) => existsSync(path.join(d, 'bin', 'spark-submit')));
  if (!sparkHome || !existsSync(python)) {
    throw new Error(`PySpark is not installed in ${venv}: run "node scripts/setup.mjs --with-spark" (it installs python/requirements-spark.txt)`);
  }
  const worker = path.join(root, 'dist', 'src', 'research', 'scanPipeWorker.js');
  if (!existsSync(worker)) throw new Error(`the scan worker ${worker} is not built: run "npm run build"`);
  const env: NodeJS.ProcessEnv = {
    ...base,
    SPARK_HOME: sparkHome,
    // without it Spark binds the machine's external address
    SPARK_LOCAL_IP: base.SPARK_LOCAL_IP ?? '127.0.0.1',
    PYSPARK_PYTHON: python,
    PYSPARK_DRIVER_PYTHON: python,
  };
  return { sparkHome, python, jobScript: path.join(root, 'python', 'spark', 'universe_scan.py'), workerCommand: [process.execPath, worker], env };
}
