// A GET of /index.html on a published port of 127.0.0.1: the body, or the connection's error.
import * as http from 'node:http'

export function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({host: '127.0.0.1', port, path: '/index.html', timeout: 5000}, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve(body))
    }).on('error', reject)
  })
}
