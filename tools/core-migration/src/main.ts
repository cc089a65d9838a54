import { runCli } from './cli';

// The process around the command: arguments and environment in, report out, exit status.
void runCli(process.argv.slice(2), process.env, (text) => process.stdout.write(text)).then((code) => {
  process.exitCode = code;
});
