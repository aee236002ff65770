/** `gen-ota release`: the manifest of an app directory and the two release files devices read. */
export { buildManifest, type BuildOptions, type Release } from "./build.js";
export { ReleaseCode } from "./codes.js";
export { runReleaseCommand, type ReleaseIo } from "./command.js";
export { MANIFEST_ASSET, VERSION_ASSET, serializeManifest, serializeVersion, type Manifest, type ManifestFile } from "./manifest.js";
export { writeRelease, type WrittenRelease } from "./write.js";
