# The server built from package-lock.json (no hand-kept hash: every package is fetched by the
# integrity hash the lock already holds) and installed as the bundle plus the few files it reads.
{ lib
# The npm registry the locked packages are fetched from: the owner's own (`npm config get registry`).
, npmRegistry ? ""
, buildNpmPackage
, importNpmLock
, nodejs_24
, makeWrapper
}:
let
  packageJson = lib.importJSON ../package.json;
  # Node 24 LTS, the line CI tests the server on (package.json "engines"); it builds and runs the server.
  nodejs = nodejs_24;
in
buildNpmPackage {
  pname = packageJson.name;
  inherit (packageJson) version;
  # The same Node builds the bundle's V8 code cache and runs it: another one would refuse the cache.
  inherit nodejs;

  # What `npm run build` reads; documentation and tests stay out, so editing them rebuilds nothing.
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../package.json
      ../package-lock.json
      ../tsconfig.json
      ../tsconfig.build.json
      ../routes.json
      ../LICENSE
      ../backups
      ../bench
      ../core
      ../domain
      ../functions
      ../jobs
      ../kit
      ../graphql
      ../migrations
      ../runtime
      ../scripts
      ../store
      ./runtime-files
    ];
  };

  npmDeps = importNpmLock {
    npmRoot = ../.;
    packageLock = import ./npm-lock.nix {
      lock = lib.importJSON ../package-lock.json;
      registry =
        if npmRegistry != "" then npmRegistry
        else throw ''
          selfprivacy-api: no npm registry address to fetch the locked packages from. Build with
            NPM_CONFIG_REGISTRY=$(npm config get registry) nix build --impure .#default
          or set services.selfprivacy-api.npmRegistry in the NixOS configuration.'';
    };
  };
  npmConfigHook = importNpmLock.npmConfigHook;
  # Only @scarf/scarf has an install script (swagger-ui-dist's download counter, off in package.json).
  npmRebuildFlags = [ "--ignore-scripts" ];

  nativeBuildInputs = [ makeWrapper ];

  # `npm run build` (buildNpmPackage's default) compiles, bundles, and warms the bundle up: it
  # starts the bundled server on 127.0.0.1 with a throwaway root and asks it one question before
  # V8's code cache is written. The build sandbox has a loopback interface and nothing else, which
  # is all the warm-up needs.

  installPhase = ''
    runHook preInstall
    app=$out/lib/selfprivacy-api
    while IFS= read -r file; do
      case "$file" in "" | "#"*) continue ;; esac
      install -D -m 0444 "$file" "$app/$file"
    done < nix/runtime-files
    install -D -m 0444 LICENSE "$out/share/doc/selfprivacy-api/LICENSE"
    makeWrapper ${lib.getExe nodejs} "$out/bin/selfprivacy-api" --add-flags "${packageJson.config.serverNodeFlags} $app/dist/runtime/serve.cjs"
    runHook postInstall
  '';

  meta = {
    description = packageJson.description;
    homepage = "https://selfprivacy.org";
    license = lib.licenses.agpl3Plus;
    mainProgram = "selfprivacy-api";
    platforms = lib.platforms.linux;
  };
}
