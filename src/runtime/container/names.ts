// A free random name for a container without --name, "adjective_surname" as Podman makes them.
import * as crypto from 'node:crypto'

const ADJECTIVES = [
  'admiring', 'affectionate', 'agitated', 'amazing', 'angry', 'awesome', 'beautiful', 'blissful', 'bold', 'boring',
  'brave', 'busy', 'charming', 'clever', 'compassionate', 'competent', 'confident', 'cool', 'cranky', 'crazy',
  'dazzling', 'determined', 'distracted', 'dreamy', 'eager', 'ecstatic', 'elastic', 'elated', 'elegant', 'eloquent',
  'epic', 'exciting', 'fervent', 'festive', 'flamboyant', 'focused', 'friendly', 'frosty', 'funny', 'gallant',
  'gifted', 'goofy', 'gracious', 'great', 'happy', 'hardcore', 'heuristic', 'hopeful', 'hungry', 'infallible',
  'inspiring', 'intelligent', 'interesting', 'jolly', 'jovial', 'keen', 'kind', 'laughing', 'loving', 'lucid',
  'magical', 'modest', 'musing', 'mystifying', 'naughty', 'nervous', 'nice', 'nifty', 'nostalgic', 'objective',
  'optimistic', 'peaceful', 'pedantic', 'pensive', 'practical', 'priceless', 'quirky', 'quizzical', 'recursing', 'relaxed',
  'reverent', 'romantic', 'sad', 'serene', 'sharp', 'silly', 'sleepy', 'stoic', 'strange', 'stupefied',
  'suspicious', 'sweet', 'tender', 'thirsty', 'trusting', 'unruffled', 'upbeat', 'vibrant', 'vigilant', 'vigorous',
  'wizardly', 'wonderful', 'xenodochial', 'youthful', 'zealous', 'zen',
]

const SURNAMES = [
  'agnesi', 'albattani', 'allen', 'almeida', 'archimedes', 'ardinghelli', 'babbage', 'banach', 'bardeen', 'bartik',
  'bassi', 'bell', 'benz', 'bhabha', 'black', 'blackwell', 'bohr', 'booth', 'borg', 'bose', 'brahmagupta', 'brattain',
  'brown', 'carson', 'cerf', 'chandrasekhar', 'chaplygin', 'clarke', 'colden', 'cori', 'cray', 'curie', 'darwin',
  'davinci', 'dijkstra', 'dubinsky', 'easley', 'einstein', 'elion', 'engelbart', 'euclid', 'euler', 'faraday', 'fermat',
  'fermi', 'feynman', 'franklin', 'galileo', 'gates', 'goldberg', 'goldstine', 'goodall', 'hamilton', 'hawking',
  'heisenberg', 'hermann', 'hodgkin', 'hoover', 'hopper', 'hypatia', 'jackson', 'jang', 'jennings', 'jepsen', 'johnson',
  'joliot', 'keller', 'kepler', 'khorana', 'kilby', 'knuth', 'lalande', 'lamarr', 'lamport', 'leakey', 'leavitt',
  'lehmann', 'lewin', 'liskov', 'lovelace', 'lumiere', 'mahavira', 'margulis', 'mayer', 'mccarthy', 'mcclintock',
  'meitner', 'mendel', 'merkle', 'mirzakhani', 'morse', 'napier', 'newton', 'nobel', 'noether', 'northcutt', 'noyce',
  'pascal', 'pasteur', 'payne', 'perlman', 'pike', 'poincare', 'ptolemy', 'raman', 'ramanujan', 'ride', 'ritchie',
  'rosalind', 'sammet', 'shamir', 'shannon', 'shaw', 'shockley', 'sinoussi', 'snyder', 'spence', 'stonebraker',
  'swanson', 'swartz', 'tesla', 'thompson', 'torvalds', 'turing', 'varahamihira', 'villani', 'wescoff', 'wilbur',
  'wiles', 'williams', 'wilson', 'wing', 'wozniak', 'wright', 'wu', 'yalow', 'yonath', 'zhukovsky',
]

function pick<T>(list: T[]): T {
  return list[crypto.randomInt(list.length)]
}

export function randomName(isTaken: (name: string) => boolean): string {
  for (let i = 0; i < 10; i++) {
    const name = `${pick(ADJECTIVES)}_${pick(SURNAMES)}`
    if (!isTaken(name)) return name
  }
  // Crowded: add a number, as docker's generator does after a collision.
  for (;;) {
    const name = `${pick(ADJECTIVES)}_${pick(SURNAMES)}${crypto.randomInt(100)}`
    if (!isTaken(name)) return name
  }
}
