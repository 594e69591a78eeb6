// dependency-cruiser: the shape of src/ (DESIGN.md section 1). Run as `depcruise src` (npm run lint).
// Imports run downwards only: a file may import from its own layer or a lower one, never upwards,
// and no two files import each other, directly or around a circle (type-only imports count too).

/** The layers of src/, lowest first. A file may import only from its own rank or a lower one. */
const layers = [
  { name: 'core-time', rank: 0, label: 'src/core/, src/time/', path: '^src/(core|time)/' },
  // Validators generated from the zod schemas at build time (scripts/generate-validators.mjs): they import nothing of src/.
  { name: 'generated', rank: 0, label: 'src/generated/', path: '^src/generated/' },
  { name: 'engine-config', rank: 1, label: 'src/engine/, src/config/', path: '^src/(engine|config)/' },
  { name: 'alerts-stores', rank: 2, label: 'src/alerts/, src/stores/', path: '^src/(alerts|stores)/' },
  // Adapters of engine ports that run local processes (hooks): beside the stores.
  { name: 'processes', rank: 2, label: 'src/processes/', path: '^src/processes/' },
  { name: 'aws', rank: 3, label: 'src/aws/', path: '^src/aws/' },
  { name: 'workflows', rank: 4, label: 'src/workflows/', path: '^src/workflows/' },
  { name: 'cli', rank: 5, label: 'src/cli/', path: '^src/cli/' },
  { name: 'composition', rank: 6, label: 'src/composition.ts, src/composition/', path: '^src/composition([.]ts$|/)' },
  { name: 'main', rank: 7, label: 'src/main.ts', path: '^src/main[.]ts$' },
];

const any = (paths) => `(${paths.join('|')})`;

/** One rule per layer: nothing of a higher rank. */
const layerRules = layers
  .filter((layer) => layers.some((other) => other.rank > layer.rank))
  .map((layer) => {
    const higher = layers.filter((other) => other.rank > layer.rank);
    return {
      name: `layer-${layer.name}`,
      severity: 'error',
      comment:
        `${layer.label} (rank ${layer.rank}) may import only from its own layer or lower ones, ` +
        `not from ${higher.map((h) => `${h.label} (${h.rank})`).join(', ')}: imports run downwards (DESIGN.md section 1).`,
      from: { path: layer.path },
      to: { path: any(higher.map((h) => h.path)) },
    };
  });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files in src/ must not import each other, directly or around a circle (type-only imports count too).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'not-in-a-layer',
      severity: 'error',
      comment: 'Every file of src/ belongs to a layer of .dependency-cruiser.cjs; give a new folder its rank there before importing it.',
      from: { path: '^src/', pathNot: any(layers.map((l) => l.path)) },
      to: {},
    },
    {
      name: 'not-to-a-file-outside-the-layers',
      severity: 'error',
      comment: 'Every file of src/ belongs to a layer of .dependency-cruiser.cjs; give a new folder its rank there before importing it.',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: any(layers.map((l) => l.path)) },
    },
    {
      name: 'aws-sdk-only-in-aws',
      severity: 'error',
      comment:
        'Only src/aws/ (and the composition root, src/composition.ts and src/composition/, which builds the clients) may import @aws-sdk/* or @smithy/*: SDK types stay there.',
      from: { path: '^src/', pathNot: '^src/(aws/|composition[.]ts$|composition/)' },
      to: { path: '(^|/)node_modules/@(aws-sdk|smithy)/|^@(aws-sdk|smithy)/' },
    },
    {
      name: 'terminal-libs-only-in-cli',
      severity: 'error',
      comment: 'Only src/cli/ may import commander, ora or chalk: the rest of the code does not know it runs in a terminal.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '(^|/)node_modules/(commander|ora|chalk)/|^(commander|ora|chalk)$' },
    },
    {
      name: 'kinds-only-through-the-registry',
      severity: 'error',
      comment:
        'A resource kind folder (src/workflows/kinds/<kind>/) is reached through src/workflows/kinds/registry.ts only: ' +
        'nothing outside src/workflows/kinds/ branches on the kind.',
      from: { path: '^src/', pathNot: '^src/workflows/kinds/' },
      to: { path: '^src/workflows/kinds/[^/]+/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      // tsc reports it too, but an import that does not resolve is one these rules cannot check.
      comment: 'This import does not resolve to a file or a package, so its layer cannot be checked.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too: a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
