import BatonTesting
import Foundation

/// Raw HTTP/1.1 over one socket (from Python, so nothing in this process frames it): what a
/// client does on the wire, byte by byte.
enum RawHTTP {
    /// Sends `chunks` on one connection (pausing `pause` seconds between them; with `halfClose`,
    /// then shutting down its sending side), reads until the server closes (or 30 s pass), and returns each
    /// response's status and body, in order. With `disconnect` the client closes its socket right
    /// after sending and reads nothing.
    static func exchange(port: Int, _ chunks: [String], pause: Double = 0, halfClose: Bool = false,
                         disconnect: Bool = false) async throws -> [(status: Int, body: String)] {
        let script = """
        import socket, sys, time, json
        port, pause, chunks = int(sys.argv[1]), float(sys.argv[2]), json.loads(sys.argv[3])
        s = socket.create_connection(("127.0.0.1", port), timeout=30)  # generous: the suites share two cores
        for i, chunk in enumerate(chunks):
            if i: time.sleep(pause)
            s.sendall(chunk.encode("latin-1"))
        if sys.argv[4] == "1": s.shutdown(socket.SHUT_WR)
        if sys.argv[4] == "2":
            s.close()
            print("[]")
            sys.exit(0)
        data = b""
        while True:
            part = s.recv(65536)
            if not part: break
            data += part
        answers = []
        while data:
            head, _, rest = data.partition(b"\\r\\n\\r\\n")
            lines = head.decode().split("\\r\\n")
            length = next(int(l.split(":")[1]) for l in lines[1:] if l.lower().startswith("content-length:"))
            answers.append({"status": int(lines[0].split()[1]), "body": rest[:length].decode()})
            data = rest[length:]
        print(json.dumps(answers))
        """
        let arguments = [String(port), String(pause), String(decoding: try JSONSerialization.data(withJSONObject: chunks), as: UTF8.self),
                         disconnect ? "2" : halfClose ? "1" : "0"]
        let output = try await PythonScript.run(script, arguments: arguments)
        let answers = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [[String: Any]]
        return answers.map { ($0["status"] as! Int, $0["body"] as! String) }
    }
}
