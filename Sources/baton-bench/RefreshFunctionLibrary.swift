import BatonStore

/// A Redis 7 function library that runs Baton's rotation script, verbatim, so that
/// `redis-benchmark` can call it with fixed arguments and still take the rotate path every time.
///
/// The script rotates only when the presented generation is the family's current one, which a
/// fixed command line cannot know. `bt_bench_refresh` reads it first (one HGET) and puts it in
/// ARGV[1].
///
/// ```sh
/// redis-cli FUNCTION LOAD "$(library source)"
/// redis-cli FCALL bt_bench_refresh 2 'bt:{0a1b2c3d}:fam:<fid>' 'bt:{0a1b2c3d}:rv' 0 web <now> 10000 <idle> ''
/// ```
enum RefreshFunctionLibrary {
    /// The function's name, for FCALL.
    static let functionName = "bt_bench_refresh"

    /// What a call does beyond the production script.
    static let extra = "one HGET to read the generation"

    /// The library's source, for FUNCTION LOAD.
    static var source: String {
        """
        #!lua name=bt_bench
        local function refresh(KEYS, ARGV)
        \(RedisFamilyStore.refreshScriptSource)
        end
        redis.register_function('\(functionName)', function(keys, args)
            args[1] = redis.call('HGET', keys[1], '\(FamilyField.generation.rawValue)')
            return refresh(keys, args)
        end)
        """
    }
}
