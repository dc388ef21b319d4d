// Mimics colors 1.4.44-liberty-2 (Jan 2022, catalog §3.27): an endless loop at module load hangs every consumer. Defanged: guarded by a variable the fixture never sets, and it only prints.
const enabled = process.env.FIXTURE_NEVER_SET === 'liberty';
if (enabled) {
  for (let i = 666; i < Infinity; i++) {
    console.log('fixture LIBERTY', i);
  }
}
