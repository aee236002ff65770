/** Hostile and broken manifests on every board: see manifest.ts. */
import { BOARDS } from "./common.js";
import { hostileManifestSuite } from "./manifest.js";

for (const board of BOARDS) hostileManifestSuite(board);
