import BatonCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

/// The HTTP/1.1 server of a worker: Hummingbird's router and HTTP/1 channel on a listening
/// socket Baton opens itself, because `baton cluster` needs `SO_REUSEPORT` (several worker
/// processes accepting on one port) and Hummingbird 2 offers no way to set it. Graceful
/// shutdown stops accepting and lets in-flight requests finish, as Hummingbird's own server does.
struct BatonHTTPServer<Responder: HTTPResponder>: Service where Responder.Context == BatonRequestContext {
    let responder: Responder
    /// Answers `POST /oauth/token` on the event loop, ahead of the router.
    let tokenEndpoint: TokenEndpoint
    let host: String
    let port: Int
    let reusePort: Bool
    let serverName: String
    let workerID: String?
    let limits: ConnectionLimits
    let logger: Logger
    let onServerRunning: @Sendable (Int) async -> Void

    func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let quiescing = ServerQuiescingHelper(group: group)
        let (tokenEndpoint, serverName, workerID, limits) = (self.tokenEndpoint, self.serverName, self.workerID, self.limits)
        let gauge = ConnectionGauge()
        // The decoder's head limits match the token path's framing (RequestFrame.headLimit). Its
        // idle timeout only backs up TokenEndpointHandler's deadlines, for connections the framing
        // handed to the decoder for good: the handler's come first.
        let decoderLimits = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: RequestFrame.headLimit, maxHeaderListSize: RequestFrame.headLimit, maxHeaderFieldCount: 100)
        let backstop = limits.keepAliveTimeout + limits.headerTimeout + limits.bodyTimeout
        let http1 = HTTP1Channel(responder: respond, configuration: .init(idleTimeout: backstop,
                                                                         httpDecoderConfiguration: decoderLimits))
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: reusePort ? 1 : 0)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .bind(host: host, port: port, serverBackPressureStrategy: nil) { channel in
                http1.setup(channel: channel, logger: logger).flatMapThrowing { connection in
                    // The token path reads the socket's bytes, ahead of NIO's HTTP/1 decoder.
                    try TokenEndpointHandler.add(to: channel.pipeline.syncOperations, endpoint: tokenEndpoint,
                                                 executor: EventLoopExecutor(channel.eventLoop),
                                                 serverName: serverName, workerID: workerID, limits: limits, gauge: gauge)
                    return connection
                }
            }
        let boundPort = listener.channel.localAddress?.port ?? port
        logger.info("listening", metadata: ["baton.address": "\(host):\(boundPort)", "baton.reuse_port": "\(reusePort)"])
        await onServerRunning(boundPort)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { connections in
                do {
                    try await listener.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { await http1.handle(value: connection, logger: logger) }
                        }
                    }
                } catch {
                    logger.error("accepting connections failed", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            quiescing.initiateShutdown(promise: nil)
        }
    }

    private func respond(_ request: Request, _ writer: consuming ResponseWriter, _ channel: any Channel) async throws {
        let context = BatonRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
        var response: Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch is ClientAbort {
            response = Response(EndpointResponse.error(ClientAbort.answer))
            response.headers[.connection] = "close"
        } catch {
            response = Response(status: .internalServerError)
        }
        response.headers[.server] = serverName
        if let workerID { response.headers[.batonWorker] = workerID }
        try await writer.write(response: response.head, body: response.body)
    }
}

extension BatonHTTPServer: RedactedDescription {
    /// Where it listens; not its routes and handlers, which hold the services and the admin token.
    var publicFields: KeyValuePairs<String, Any> {
        ["host": host, "port": port, "reusePort": reusePort, "workerID": workerID as Any]
    }
}
