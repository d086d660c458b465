# package-lock.json with a registry address for every package that has none.
#
# npm leaves `resolved` out of the lock file when it is configured with
# omit-lockfile-registry-resolved (as on the machines this project is developed on), but nixpkgs'
# importNpmLock fetches a package only from its `resolved` address, checked against its
# `integrity` hash. A package of an npm registry always lives at
# <registry>/<name>/-/<name without scope>-<version>.tgz, so the address is written in here and the
# lock file itself stays as npm wrote it. The registry is the builder's own (what
# `npm config get registry` prints, with or without its final slash): this repository names none.
# Only builtins are used, so that `nix-instantiate --eval` can check this file without nixpkgs
# (test/unit/nix-files.test.ts does).
{ lock
, registry
}:
let
  base = if builtins.match ".*/" registry != null then builtins.substring 0 (builtins.stringLength registry - 1) registry else registry;
  # "node_modules/a/node_modules/@scope/b" -> "@scope/b": the last package folder is the name.
  packageName = key: builtins.head (builtins.match ".*node_modules/(.+)" key);
  # "@scope/b" -> "b"; "b" -> "b".
  unscopedName = name: builtins.elemAt (builtins.match "(@[^/]+/)?([^/]+)" name) 1;
  registryAddress = key: entry:
    let name = entry.name or (packageName key);
    in "${base}/${name}/-/${unscopedName name}-${entry.version}.tgz";
  # The project itself ("") and links to local folders are not fetched; an address npm wrote is kept.
  fetched = key: entry: key != "" && !(entry.link or false) && !(entry ? resolved) && entry ? integrity;
in
lock // {
  packages = builtins.mapAttrs
    (key: entry: if fetched key entry then entry // { resolved = registryAddress key entry; } else entry)
    lock.packages;
}
