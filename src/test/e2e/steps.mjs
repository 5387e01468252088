// What the end-to-end scenarios share: required environment and the checked steps of a result.
export function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

// A check that records its step in result.steps when the condition holds, and fails the scenario otherwise.
export function checker(result) {
  return (condition, step, detail) => {
    if (!condition) throw new Error(`${step} failed${detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
    result.steps.push(step);
    console.log(`ok ${step}`);
  };
}

// Runs the scenario of the mode, then prints the result line the Java driver reads (and exits 1 on failure).
export async function run(result, scenarios) {
  try {
    const scenario = scenarios[result.mode];
    if (!scenario) throw new Error(`unknown mode ${result.mode}`);
    await scenario();
    console.log('E2E-RESULT ' + JSON.stringify(result));
  } catch (e) {
    console.log(`FAILED ${e.stack ?? e}`);
    console.log('E2E-RESULT ' + JSON.stringify({ ...result, failure: String(e.message ?? e) }));
    process.exit(1);
  }
}
